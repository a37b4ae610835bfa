"""local-cloud Python runtime client.

Runs inside a Lambda execution-environment process and talks to local-cloud through the Lambda
Runtime API (2018-06-01). Standard library only; shipped as-is. Behaviour follows AWS's managed
Python runtime (awslambdaric):

- handler ``pkg/module.function`` is imported from LAMBDA_TASK_ROOT (first on sys.path);
- init failures post ``Runtime.ImportModuleError`` / ``Runtime.HandlerNotFound`` /
  ``Runtime.UserCodeSyntaxError`` / ``Runtime.MalformedHandlerName`` (or the exception's own
  type) to /runtime/init/error, then exit(1);
- handler exceptions post ``{"errorMessage","errorType","requestId","stackTrace"}``;
- print() goes to stdout unbuffered; the root ``logging`` logger writes
  ``[LEVEL]\\t<timestamp>\\t<requestId>\\t<message>`` records (inner newlines as \\r so one record
  is one line), JSON records when AWS_LAMBDA_LOG_FORMAT=JSON.

HTTP is spoken over one raw keep-alive socket: http.client would pull in ssl/email (~50 ms).
"""

import json
import logging
import os
import socket
import sys
import time

_CLIENT_FILE = os.path.abspath(__file__)

LAMBDA_WARNING = (
    "LAMBDA_WARNING: Unhandled exception. The most likely cause is an issue in the function code. "
    "However, in rare cases, a Lambda runtime update can cause unexpected function behavior. "
    "For functions using managed runtimes, runtime updates can be triggered by a function change, "
    "or can be applied automatically. To determine if the runtime has been updated, check the runtime "
    "version in the INIT_START log entry. If this error correlates with a change in the runtime version, "
    "you may be able to mitigate this error by temporarily rolling back to the previous runtime version. "
    "For more information, see https://docs.aws.amazon.com/lambda/latest/dg/runtimes-update.html"
)


class FaultException(Exception):
    IMPORT_MODULE_ERROR = "Runtime.ImportModuleError"
    HANDLER_NOT_FOUND = "Runtime.HandlerNotFound"
    MALFORMED_HANDLER_NAME = "Runtime.MalformedHandlerName"
    USER_CODE_SYNTAX_ERROR = "Runtime.UserCodeSyntaxError"
    BUILT_IN_MODULE_CONFLICT = "Runtime.BuiltInModuleConflict"
    MARSHAL_ERROR = "Runtime.MarshalError"
    UNMARSHAL_ERROR = "Runtime.UnmarshalError"
    CONTEXT_UNMARSHAL_ERROR = "Runtime.LambdaContextUnmarshalError"

    def __init__(self, exception_type, msg, trace=None):
        super().__init__(msg)
        self.exception_type = exception_type
        self.msg = msg
        self.trace = trace


# ----------------------------------------------------------------------------------------------
# Runtime API client


class RuntimeClient:
    def __init__(self, address):
        host_port, _, prefix = address.partition("/")
        if host_port.startswith("["):
            host, _, port = host_port[1:].partition("]")
            port = port.lstrip(":")
        else:
            host, _, port = host_port.partition(":")
        self.host = host
        self.port = int(port or 80)
        self.base = ("/" + prefix.strip("/") if prefix.strip("/") else "") + "/2018-06-01/runtime"
        self.sock = None
        self.rfile = None

    def _connect(self):
        self.sock = socket.create_connection((self.host, self.port))
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.rfile = self.sock.makefile("rb")

    def _close(self):
        for closable in (self.rfile, self.sock):
            try:
                if closable is not None:
                    closable.close()
            except OSError:
                pass
        self.sock = None
        self.rfile = None

    def request(self, method, route, body=None, headers=None):
        reused = self.sock is not None
        try:
            return self._request_once(method, route, body, headers)
        except (ConnectionError, OSError, EOFError):
            self._close()
            if not reused:
                raise
            # The server may close an idle keep-alive socket as we reuse it: retry once.
            return self._request_once(method, route, body, headers)

    def _request_once(self, method, route, body, headers):
        if self.sock is None:
            self._connect()
        lines = ["%s %s%s HTTP/1.1" % (method, self.base, route), "Host: %s:%d" % (self.host, self.port)]
        if body is not None:
            lines.append("Content-Length: %d" % len(body))
        for name, value in (headers or {}).items():
            lines.append("%s: %s" % (name, value))
        head = ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")
        self.sock.sendall(head + body if body else head)
        return self._read_response()

    def _read_response(self):
        rfile = self.rfile
        status_line = rfile.readline(65537)
        if not status_line:
            raise EOFError("connection closed")
        status = int(status_line.split(None, 2)[1])
        resp_headers = {}
        while True:
            line = rfile.readline(65537)
            if not line:
                raise EOFError("connection closed")
            if line in (b"\r\n", b"\n"):
                break
            name, _, value = line.decode("latin-1").partition(":")
            resp_headers[name.strip().lower()] = value.strip()
        if "content-length" in resp_headers:
            data = self._read_exact(int(resp_headers["content-length"]))
        elif "chunked" in resp_headers.get("transfer-encoding", "").lower():
            parts = []
            while True:
                size = int(rfile.readline(65537).split(b";", 1)[0].strip() or b"0", 16)
                if size == 0:
                    while rfile.readline(65537) not in (b"\r\n", b"\n", b""):
                        pass
                    break
                parts.append(self._read_exact(size))
                rfile.readline(65537)
            data = b"".join(parts)
        else:
            data = rfile.read()
            resp_headers["connection"] = "close"
        if resp_headers.get("connection", "").lower() == "close":
            self._close()
        return status, resp_headers, data

    def _read_exact(self, n):
        data = self.rfile.read(n)
        if len(data) != n:
            raise EOFError("connection closed")
        return data

    def next_invocation(self):
        status, headers, body = self.request("GET", "/invocation/next")
        if status != 200:
            raise RuntimeError("/invocation/next answered %d: %r" % (status, body[:500]))
        return headers, body

    def post_response(self, request_id, data, content_type="application/json"):
        self.request(
            "POST", "/invocation/%s/response" % request_id, data, {"Content-Type": content_type}
        )

    def post_error(self, request_id, error_result):
        self.request(
            "POST",
            "/invocation/%s/error" % request_id,
            to_json(error_result).encode("utf-8"),
            {"Content-Type": "application/json", "Lambda-Runtime-Function-Error-Type": "Unhandled"},
        )

    def post_init_error(self, error_result):
        self.request(
            "POST",
            "/init/error",
            to_json(error_result).encode("utf-8"),
            {
                "Content-Type": "application/json",
                "Lambda-Runtime-Function-Error-Type": _header_safe(error_result.get("errorType")),
            },
        )


def _header_safe(value):
    return "".join(c for c in str(value or "") if " " <= c <= "~") or "Unknown"


def _json_default(obj):
    import decimal

    if isinstance(obj, decimal.Decimal):
        if obj.is_nan():
            return float("nan")
        return int(obj) if obj == obj.to_integral_value() else float(obj)
    raise TypeError("Object of type %s is not JSON serializable" % type(obj).__name__)


def to_json(obj):
    return json.dumps(obj, default=_json_default)


# ----------------------------------------------------------------------------------------------
# Context


class CognitoIdentity:
    __slots__ = ["cognito_identity_id", "cognito_identity_pool_id"]

    def __repr__(self):
        return "CognitoIdentity([cognito_identity_id=%s,cognito_identity_pool_id=%s])" % (
            self.cognito_identity_id,
            self.cognito_identity_pool_id,
        )


class Client:
    __slots__ = ["installation_id", "app_title", "app_version_name", "app_version_code", "app_package_name"]


class ClientContext:
    __slots__ = ["custom", "env", "client"]


def _obj_from_dict(cls, data):
    if data is None:
        return None
    obj = cls()
    for field in cls.__slots__:
        setattr(obj, field, data.get(field))
    return obj


class LambdaContext:
    def __init__(self, invoke_id, client_context, cognito_identity, deadline_ms, invoked_function_arn, tenant_id):
        self.aws_request_id = invoke_id
        self.log_group_name = os.environ.get("AWS_LAMBDA_LOG_GROUP_NAME")
        self.log_stream_name = os.environ.get("AWS_LAMBDA_LOG_STREAM_NAME")
        self.function_name = os.environ.get("AWS_LAMBDA_FUNCTION_NAME")
        self.memory_limit_in_mb = os.environ.get("AWS_LAMBDA_FUNCTION_MEMORY_SIZE")
        self.function_version = os.environ.get("AWS_LAMBDA_FUNCTION_VERSION")
        self.invoked_function_arn = invoked_function_arn
        self.tenant_id = tenant_id
        self.client_context = _obj_from_dict(ClientContext, client_context)
        if self.client_context is not None:
            self.client_context.client = _obj_from_dict(Client, self.client_context.client)
        self.identity = _obj_from_dict(CognitoIdentity, {})
        if cognito_identity is not None:
            self.identity.cognito_identity_id = cognito_identity.get("cognitoIdentityId")
            self.identity.cognito_identity_pool_id = cognito_identity.get("cognitoIdentityPoolId")
        self._deadline_ms = deadline_ms

    def get_remaining_time_in_millis(self):
        delta = self._deadline_ms - int(time.time() * 1000)
        return delta if delta > 0 else 0

    def log(self, msg):
        sys.stdout.write(str(msg))

    def __repr__(self):
        return (
            "LambdaContext([aws_request_id=%s,log_group_name=%s,log_stream_name=%s,function_name=%s,"
            "memory_limit_in_mb=%s,function_version=%s,invoked_function_arn=%s,client_context=%s,"
            "identity=%s,tenant_id=%s])"
            % (
                self.aws_request_id,
                self.log_group_name,
                self.log_stream_name,
                self.function_name,
                self.memory_limit_in_mb,
                self.function_version,
                self.invoked_function_arn,
                self.client_context,
                self.identity,
                self.tenant_id,
            )
        )


def _json_header(value, name):
    if not value:
        return None
    try:
        return json.loads(value)
    except Exception as e:
        raise FaultException(
            FaultException.CONTEXT_UNMARSHAL_ERROR, "Unable to parse %s JSON: %s" % (name, e)
        )


# ----------------------------------------------------------------------------------------------
# Logging

_request_id = None
_JSON_LOGS = (os.environ.get("AWS_LAMBDA_LOG_FORMAT") or "").upper() == "JSON"


class Unbuffered:
    """Flushes after every write, as AWS does, so output interleaves with the platform's lines."""

    def __init__(self, stream):
        self.stream = stream

    def __getattr__(self, attr):
        return getattr(self.stream, attr)

    def write(self, msg):
        n = self.stream.write(msg)
        self.stream.flush()
        return n

    def writelines(self, msgs):
        self.stream.writelines(msgs)
        self.stream.flush()


def _write_record(text):
    """One log record = one stdout line; inner newlines become \\r (the server turns them back)."""
    sys.stdout.write(text.rstrip("\n").replace("\n", "\r") + "\n")


class _RequestIdFilter(logging.Filter):
    def filter(self, record):
        record.aws_request_id = _request_id or ""
        return True


class _LambdaHandler(logging.Handler):
    def emit(self, record):
        try:
            _write_record(self.format(record))
        except Exception:
            self.handleError(record)


class _JsonFormatter(logging.Formatter):
    def format(self, record):
        out = {
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(record.created)),
            "level": record.levelname,
            "message": record.getMessage(),
            "logger": record.name,
            "stackTrace": None,
            "requestId": getattr(record, "aws_request_id", ""),
            "location": "%s:%s:%d" % (record.pathname, record.funcName, record.lineno),
        }
        if record.exc_info and record.exc_info[1] is not None:
            import traceback

            etype, value, tb = record.exc_info
            out["errorType"] = etype.__name__
            out["errorMessage"] = str(value)
            out["stackTrace"] = traceback.format_tb(tb)
        else:
            del out["stackTrace"]
        return json.dumps(out, default=str)


def _setup_logging():
    sys.stdout = Unbuffered(sys.stdout)
    sys.stderr = Unbuffered(sys.stderr)
    handler = _LambdaHandler()
    if _JSON_LOGS:
        handler.setFormatter(_JsonFormatter())
    else:
        formatter = logging.Formatter(
            "[%(levelname)s]\t%(asctime)s.%(msecs)03dZ\t%(aws_request_id)s\t%(message)s\n", "%Y-%m-%dT%H:%M:%S"
        )
        formatter.converter = time.gmtime
        handler.setFormatter(formatter)
    handler.addFilter(_RequestIdFilter())
    root = logging.getLogger()
    level = (os.environ.get("AWS_LAMBDA_LOG_LEVEL") or "").upper()
    if level in ("TRACE", "DEBUG", "INFO", "WARN", "WARNING", "ERROR", "FATAL", "CRITICAL"):
        root.setLevel({"TRACE": "DEBUG", "WARN": "WARNING", "FATAL": "CRITICAL"}.get(level, level))
    root.addHandler(handler)


def _log_error(error_result):
    if _JSON_LOGS:
        record = {"timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()), "level": "ERROR"}
        record.update(error_result)
        _write_record(to_json(record))
        return
    description = "[ERROR]"
    if error_result.get("errorType"):
        description += " " + error_result["errorType"]
    if error_result.get("errorMessage"):
        if error_result.get("errorType"):
            description += ":"
        description += " " + error_result["errorMessage"]
    lines = [description]
    stack = error_result.get("stackTrace")
    if stack is not None:
        lines.append("Traceback (most recent call last):")
        for element in stack:
            if element == "":
                lines.append("")
                continue
            for line in element.splitlines():
                stripped = line.lstrip(" ")
                lines.append("\u00a0" * (len(line) - len(stripped)) + stripped)
    _write_record("\r".join(lines))


# ----------------------------------------------------------------------------------------------
# Errors


def make_error(message, error_type, stack_trace, request_id=None):
    return {
        "errorMessage": message if message else "",
        "errorType": error_type if error_type else "",
        "requestId": request_id if request_id is not None else "",
        "stackTrace": stack_trace if stack_trace else [],
    }


def _user_frames(tb):
    import traceback

    frames = traceback.extract_tb(tb)
    for i, frame in enumerate(frames):
        if os.path.abspath(frame.filename) != _CLIENT_FILE:
            return traceback.format_list(frames[i:])
    return traceback.format_list(frames)


def _fault_result(exc, request_id=None):
    if isinstance(exc, FaultException):
        return make_error(exc.msg, exc.exception_type, exc.trace, request_id)
    return make_error(str(exc), type(exc).__name__, _user_frames(exc.__traceback__), request_id)


# ----------------------------------------------------------------------------------------------
# Handler loading


def get_handler(handler):
    import importlib

    try:
        modname, fname = handler.rsplit(".", 1)
    except ValueError as e:
        raise FaultException(FaultException.MALFORMED_HANDLER_NAME, "Bad handler '%s': %s" % (handler, e))
    try:
        if modname.split(".")[0] in sys.builtin_module_names:
            raise FaultException(
                FaultException.BUILT_IN_MODULE_CONFLICT,
                "Cannot use built-in module %s as a handler module" % modname,
            )
        module = importlib.import_module(modname.replace("/", "."))
    except ImportError as e:
        raise FaultException(FaultException.IMPORT_MODULE_ERROR, "Unable to import module '%s': %s" % (modname, e))
    except SyntaxError as e:
        trace = ['  File "%s" Line %s\n    %s' % (e.filename, e.lineno, e.text)]
        raise FaultException(
            FaultException.USER_CODE_SYNTAX_ERROR, "Syntax error in module '%s': %s" % (modname, e), trace
        )
    try:
        return getattr(module, fname)
    except AttributeError:
        raise FaultException(
            FaultException.HANDLER_NOT_FOUND, "Handler '%s' missing on module '%s'" % (fname, modname)
        )


# ----------------------------------------------------------------------------------------------
# Invocations


def handle_invocation(client, handler, headers, body):
    request_id = headers.get("lambda-runtime-aws-request-id", "")
    try:
        context = LambdaContext(
            request_id,
            _json_header(headers.get("lambda-runtime-client-context"), "Client Context"),
            _json_header(headers.get("lambda-runtime-cognito-identity"), "Cognito Identity"),
            int(headers.get("lambda-runtime-deadline-ms") or 0),
            headers.get("lambda-runtime-invoked-function-arn"),
            headers.get("lambda-runtime-aws-tenant-id"),
        )
        content_type = headers.get("content-type") or "application/json"
        if content_type.split(";")[0].strip().lower() == "application/json":
            try:
                event = json.loads(body)
            except Exception as e:
                raise FaultException(FaultException.UNMARSHAL_ERROR, "Unable to unmarshal input: %s" % e)
        else:
            event = body
        result = handler(event, context)
        if isinstance(result, bytes):
            data, result_type = result, "application/unknown"
        else:
            try:
                data, result_type = to_json(result).encode("utf-8"), "application/json"
            except Exception as e:
                raise FaultException(FaultException.MARSHAL_ERROR, "Unable to marshal response: %s" % e)
    except Exception as e:
        error_result = _fault_result(e, request_id)
        _log_error(error_result)
        client.post_error(request_id, error_result)
        return
    client.post_response(request_id, data, result_type)


def main():
    global _request_id
    address = os.environ.get("AWS_LAMBDA_RUNTIME_API")
    if not address:
        sys.stderr.write("local-cloud runtime: AWS_LAMBDA_RUNTIME_API is not set\n")
        sys.exit(1)
    client = RuntimeClient(address)

    task_root = os.environ.get("LAMBDA_TASK_ROOT") or os.getcwd()
    # The task root replaces this script's directory at the head of sys.path.
    if sys.path and os.path.abspath(sys.path[0] or ".") == os.path.dirname(_CLIENT_FILE):
        sys.path[0] = task_root
    elif task_root not in sys.path:
        sys.path.insert(0, task_root)
    try:
        os.chdir(task_root)
    except OSError:
        pass

    _setup_logging()
    try:
        handler = get_handler(os.environ.get("_HANDLER", ""))
    except Exception as e:
        error_result = _fault_result(e)
        logging.warning(LAMBDA_WARNING)
        _log_error(error_result)
        try:
            client.post_init_error(error_result)
        finally:
            sys.exit(1)

    while True:
        try:
            headers, body = client.next_invocation()
        except Exception as e:
            sys.stderr.write("local-cloud runtime: cannot get the next invocation: %s\n" % e)
            sys.exit(1)
        _request_id = headers.get("lambda-runtime-aws-request-id")
        trace_id = headers.get("lambda-runtime-trace-id")
        if trace_id:
            os.environ["_X_AMZN_TRACE_ID"] = trace_id
        else:
            os.environ.pop("_X_AMZN_TRACE_ID", None)
        handle_invocation(client, handler, headers, body)


if __name__ == "__main__":
    main()
