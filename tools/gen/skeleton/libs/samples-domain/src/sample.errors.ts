/** Stable codes: clients, dashboards and tests match on them; never rename one. */
export const sampleErrorCodes = [
  'SAMPLE_NOT_FOUND',
  'SAMPLE_ALREADY_EXISTS',
  'SAMPLE_INVALID_TITLE',
] as const;
export type SampleErrorCode = (typeof sampleErrorCodes)[number];

export interface SampleError {
  readonly code: SampleErrorCode;
  readonly message: string;
}

export const sampleError = (code: SampleErrorCode, message: string): SampleError => ({
  code,
  message,
});
