export declare const APP_DIR: string;
export declare const ASSEMBLY: string;
/** Synthesizes into cdk.out without aws-cdk-lib's CloudFormation rule check (`cdk synth` runs it). */
export declare function synth(opts?: { force?: boolean; log?: (line: string) => void }): Promise<boolean>;
export declare function shortName(functionName: string): string;
