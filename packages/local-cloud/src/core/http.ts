/** The request and reply every service sees, independent of the transport. */
export interface EdgeRequest {
  method: string;
  url: string;
  /** Lower-case names; repeated headers joined with ", ". */
  headers: Record<string, string | undefined>;
  body: Buffer;
  /** Aborted when the client goes away before the answer (ends long polls). */
  signal(): AbortSignal;
}

export interface EdgeReply {
  status: number;
  headers: Record<string, string>;
  body: string | Buffer;
}
