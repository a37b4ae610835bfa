export declare const APP_DIR: string;
export declare const ASSEMBLY: string;
export declare function synth(opts?: { force?: boolean; log?: (line: string) => void }): Promise<boolean>;
export declare function shortName(functionName: string): string;
