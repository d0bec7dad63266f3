// The seam through which jobs get executed (local processes, in another module). The ARM routes
// only record what clients ask for; an executor runs the job and reports through setJobStatus.
import type { JobResource } from './job-store';

export interface JobExecutor {
  /** A new job was accepted in status `Starting`; run it and report with `setJobStatus`. */
  start(job: JobResource): void;
  /** A client asked to cancel a running job (now `CancelRequested`); stop it, then report `Canceled`. */
  cancel(jobName: string): void;
}
