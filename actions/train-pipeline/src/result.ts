// What one run of the action produced: the basis of its outputs and its job summary.

export interface ChildJobSummary {
  name: string;
  /** Pipeline step name, or `trial <n>` for a sweep trial. */
  step: string;
  status: string;
  durationInMs?: number;
}

export interface TrainResult {
  jobName: string;
  jobType: string;
  status: string;
  studioUrl?: string;
  submitted: boolean;
  /** Output name → azureml:// URI. */
  outputs: Record<string, string>;
  children: ChildJobSummary[];
  metrics: Record<string, number>;
  /** A sweep's best trial, whose metrics `metrics` holds. */
  bestTrial?: string;
  durationInMs?: number;
  requestFile?: string;
  code?: { armId: string; uploadedBytes: number; reused: boolean };
  downloaded?: { output: string; path: string; files: number; bytes: number }[];
  /** Why the job did not complete: its error and the tail of its log. */
  failure?: { message: string; logTail: string[] };
}
