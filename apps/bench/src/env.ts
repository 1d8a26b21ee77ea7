import { readFileSync } from 'node:fs';
import os from 'node:os';

/** The machine a report was taken on. */
export interface MachineInfo {
  date: string;
  node: string;
  platform: string;
  cpu: string;
  cores: number;
  memoryGB: number;
  /** 1-minute load averages when the run started and ended: other work on the machine skews timings. */
  load: [number, number];
}

function cpuModel(): string {
  try {
    const line = readFileSync('/proc/cpuinfo', 'utf8').split('\n').find((l) => l.startsWith('model name'));
    if (line) return line.split(':')[1].trim();
  } catch {
    // Not Linux: fall back to what os reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

export function machineInfo(loadAtStart: number): MachineInfo {
  return {
    date: new Date().toISOString(),
    node: process.version,
    platform: `${os.type()} ${os.release()} ${os.arch()}`,
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGB: Math.round(os.totalmem() / 2 ** 30),
    load: [loadAtStart, os.loadavg()[0]],
  };
}
