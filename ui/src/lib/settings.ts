// Settings checks that run before anything is sent: the export folder must be an absolute path.

/** True for an absolute path on Linux/macOS ("/…"), Windows ("C:\…", "C:/…") or a UNC share ("\\server\…"). */
export function isAbsolutePath(path: string): boolean {
  const p = path.trim();
  return p.startsWith("/") || /^[A-Za-z]:[\\/]/.test(p) || p.startsWith("\\\\");
}

/** Why the export folder cannot be saved, or null. */
export function exportFolderProblem(path: string): string | null {
  if (!path.trim()) return "Type the folder exports go to.";
  if (!isAbsolutePath(path)) return "Use a full path, e.g. /home/dana/Greenlight exports or C:\\Exports.";
  return null;
}
