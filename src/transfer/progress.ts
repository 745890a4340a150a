// A progress bar on stderr for people at a terminal; nothing at all when stderr is a pipe or a file.
import cliProgress from 'cli-progress';

export interface Progress {
  /** `total` undefined: the amount is unknown (a pipe), so only the count is shown. */
  start(total: number | undefined, unit: string): void;
  update(value: number): void;
  stop(): void;
}

export const silentProgress: Progress = { start() {}, update() {}, stop() {} };

export function terminalProgress(stream: NodeJS.WriteStream = process.stderr): Progress {
  if (!stream.isTTY) return silentProgress;
  let bar: cliProgress.SingleBar | undefined;
  return {
    start(total, unit) {
      const format = total === undefined ? `{value} ${unit} | {duration_formatted}` : `{bar} {percentage}% | {value}/{total} ${unit} | ETA {eta_formatted}`;
      bar = new cliProgress.SingleBar({ stream, format, hideCursor: true, fps: 5, etaBuffer: 50 }, cliProgress.Presets.shades_classic);
      bar.start(total ?? 0, 0);
    },
    update(value) {
      bar?.update(value);
    },
    stop() {
      bar?.stop();
      bar = undefined;
    },
  };
}
