// What every part of the executor shares: the workspace, its blob account and MLflow store, and
// the local folders and credentials job processes get.
import type { ArmContext } from '../arm-context';
import type { BlobStore } from './blob-store';
import type { RunTracking } from './tracking';

export interface ExecutionContext {
  ctx: ArmContext;
  blobs: BlobStore;
  tracking: RunTracking;
  /** A bearer token the emulator accepts, for the job's MLflow calls. */
  issueToken: () => string;
  caCertPath: string;
  /** `<stateDir>/jobs`: one folder per job. */
  jobsDir: string;
  /** Folder with the `python` wrapper, first on PATH. */
  binDir: string;
  /** Folder holding the `mlflow` shim. */
  pythonDir: string;
  killGraceInMs: number;
  log: (line: string) => void;
  /** Called with each job process id once it runs. */
  onProcessStart?: (jobName: string, pid: number) => void;
}
