// `npm start` runs `sh -c "tsx src/runtime/node.ts"`, and tsx runs this file in a child node
// process. Stopping npm by its pid alone (a process manager, `kill PID`) ends npm and the shell
// but not tsx, which never hears of it: the service would run on, orphaned. So the service
// watches the chain that started it and stops itself (cleanly) once its launcher is gone.
import { readFileSync } from 'node:fs';

function parentOf(pid: number): number | undefined {
  try {
    // /proc/PID/stat: "pid (comm) state ppid …"; comm may hold spaces and parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
  } catch {
    return undefined; // not Linux, or gone
  }
}

function isTsxCli(pid: number): boolean {
  try {
    return /tsx/.test(readFileSync(`/proc/${pid}/cmdline`, 'utf8'));
  } catch {
    return false;
  }
}

/** Calls `onOrphaned` once when this process's parent, or (under tsx's CLI) its grandparent, goes away. */
export function watchLauncher(onOrphaned: (why: string) => void, intervalMs = 1000): () => void {
  const parent = process.ppid;
  const grandparent = isTsxCli(parent) ? parentOf(parent) : undefined;
  const timer = setInterval(() => {
    let why: string | undefined;
    if (process.ppid !== parent) why = `父进程 ${parent} 已退出`;
    else if (grandparent !== undefined && grandparent !== 1 && parentOf(parent) !== grandparent) why = `启动它的进程 ${grandparent}（如 npm start）已退出`;
    if (!why) return;
    clearInterval(timer);
    onOrphaned(why);
  }, intervalMs);
  timer.unref();
  return () => clearInterval(timer);
}
