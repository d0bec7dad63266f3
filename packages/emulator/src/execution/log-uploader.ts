// Keeps a growing local log mirrored in blob storage: re-uploads it about every 500 ms while it
// grows (never two uploads at once), and once more at the end.
import { existsSync, statSync } from 'node:fs';
import type { BlobLocation, BlobStore } from './blob-store';

export interface LogUploaderOptions {
  blobs: BlobStore;
  file: string;
  target: BlobLocation;
  intervalInMs?: number;
  log?: (line: string) => void;
}

export class LogUploader {
  private timer: NodeJS.Timeout | undefined;
  private uploadedSize = -1;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: LogUploaderOptions) {}

  start(): void {
    this.timer = setInterval(() => {
      void this.upload();
    }, this.options.intervalInMs ?? 500);
  }

  /** Stops the timer and uploads whatever is there; resolves once the blob matches the file. */
  async finish(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.upload();
  }

  private upload(): Promise<void> {
    this.chain = this.chain.then(async () => {
      if (!existsSync(this.options.file)) return;
      const size = statSync(this.options.file).size;
      if (size === this.uploadedSize) return;
      try {
        await this.options.blobs.uploadFile(this.options.target, this.options.file);
        this.uploadedSize = size;
      } catch (error) {
        this.options.log?.(`log upload to ${this.options.target.path} failed: ${(error as Error).message}`);
      }
    });
    return this.chain;
  }
}
