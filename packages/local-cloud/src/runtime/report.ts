/** The REPORT line Lambda writes after each invocation (Init Duration only after a cold start). */
export function formatReport(r: {
  requestId: string;
  durationMs: number;
  memorySize: number;
  maxMemoryMb: number;
  initDurationMs: number | undefined;
}): string {
  let line = `REPORT RequestId: ${r.requestId}\tDuration: ${r.durationMs.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(r.durationMs))} ms\tMemory Size: ${r.memorySize} MB\tMax Memory Used: ${r.maxMemoryMb} MB\t`;
  if (r.initDurationMs !== undefined) line += `Init Duration: ${r.initDurationMs.toFixed(2)} ms\t`;
  return line;
}
