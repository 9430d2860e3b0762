import { execSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/**
 * CPU accounting from /proc (Linux), for benchmarks that report where the CPU went rather than
 * only how fast the load ran: on a shared two-core machine the two differ.
 */

let clockTicks: number | undefined;
/** Kernel clock ticks per second (asked once, when first needed: importing costs nothing). */
function ticksPerSecond(): number {
  if (clockTicks === undefined) {
    try {
      clockTicks = Number(execSync('getconf CLK_TCK', { encoding: 'utf8' }).trim()) || 100;
    } catch {
      clockTicks = 100;
    }
  }
  return clockTicks;
}

/** The command name and CPU ms (user + system) from a /proc/<pid>/stat line. */
function parseStat(stat: string): { comm: string; cpuMs: number } {
  // After the command name (in parentheses, may hold spaces): utime is the 14th field, stime the 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return {
    comm: stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
    cpuMs: ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond(),
  };
}

/** Which part of the system a process is, from its command line. */
function groupOf(pid: string, comm: string): string {
  if (comm === 'postgres') return 'postgres';
  if (comm === 'java') return 'kafka';
  if (comm !== 'node')
    return comm.startsWith('ksoftirqd') || comm.startsWith('kworker') ? 'kernel' : 'other';
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    return /apps\/([a-z-]+)\/dist\/main\.js/.exec(cmdline)?.[1] ?? 'load generator';
  } catch {
    return 'other';
  }
}

/**
 * CPU time (user + system, ms) used so far by every live process, summed by group (gateway,
 * accounts-command, accounts-projector, postgres, kafka, load generator, kernel, other).
 * Processes that exited in between are not counted. Empty without /proc.
 */
export function cpuByGroup(): Map<string, number> {
  const groups = new Map<string, number>();
  let pids: string[] = [];
  try {
    pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return groups;
  }
  for (const pid of pids) {
    try {
      const { comm, cpuMs } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
      const group = groupOf(pid, comm);
      groups.set(group, (groups.get(group) ?? 0) + cpuMs);
    } catch {
      // the process exited while we looked
    }
  }
  return groups;
}

/** Busy and total jiffies of the whole machine so far (from /proc/stat); undefined without it. */
export function machineJiffies(): { busy: number; total: number } | undefined {
  try {
    const cpu = readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).slice(1);
    const values = cpu.map(Number);
    const total = values.reduce((a, b) => a + b, 0);
    const idle = (values[3] ?? 0) + (values[4] ?? 0); // idle + iowait
    return { busy: total - idle, total };
  } catch {
    return undefined;
  }
}

/** CPU ms (user + system) one process has used so far; undefined once it is gone. */
export function processCpuMs(pid: number): number | undefined {
  try {
    return parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8')).cpuMs;
  } catch {
    return undefined;
  }
}
