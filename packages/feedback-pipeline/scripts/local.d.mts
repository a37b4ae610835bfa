export declare const APP_DIR: string;
export declare const ASSEMBLY: string;
export declare function synth(opts?: {
  force?: boolean;
  /** Run the CloudFormation rule check too (off by default in the local loop: it costs ~3 s). */
  validate?: boolean;
  log?: (line: string) => void;
}): Promise<boolean>;
export declare function shortName(functionName: string): string;
