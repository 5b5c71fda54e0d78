/**
 * Whether a process of this machine still runs: the embedded database's lock file and the upload
 * spool folders are named after the process that owns them, and are taken over only once it is gone.
 * EPERM means the process exists but belongs to someone else.
 */
export function isProcessRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}
