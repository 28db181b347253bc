//! When the data cannot be opened: the message the window shows instead of the app (what went
//! wrong, that nothing was changed, the backups to recover from) and a copy of the data files
//! that the user can keep, or hand to whoever repairs them, before moving anything. Tauri-free.

use std::path::{Path, PathBuf};

use crate::api_error::{ApiError, Code};
use chrono::{DateTime, Utc};

use crate::paths::AppPaths;

/// Explains a failure to open the data folder: what failed, that nothing was changed, and how
/// to recover (the backups found beside the database, or moving the file aside).
pub fn describe_startup_problem(paths: &AppPaths, error: ApiError) -> ApiError {
    let mut backups: Vec<String> = std::fs::read_dir(&paths.data_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".backup.sqlite3"))
        .map(|p| p.display().to_string())
        .collect();
    backups.sort();
    let recovery = if backups.is_empty() {
        format!(
            "To start again with an empty library, quit Greenlight and move {} aside (keep it: \
             what it holds may still be recoverable).",
            paths.database.display()
        )
    } else {
        format!(
            "Backups made before earlier upgrades: {}. To use one, quit Greenlight and copy it \
             over {} (keep the damaged file).",
            backups.join(", "),
            paths.database.display()
        )
    };
    ApiError {
        code: error.code,
        message: format!(
            "Greenlight could not open its data: {} Nothing was changed. {recovery} Logs: {}.",
            error.message.trim_end_matches('.').to_string() + ".",
            paths.log_dir.display()
        ),
    }
}

/// The files that make up Greenlight's data: the database with its WAL and shared-memory files
/// (uncheckpointed changes live in the WAL) and the backups made before migrations.
fn data_files(paths: &AppPaths) -> Vec<PathBuf> {
    let database = paths.database.display().to_string();
    let mut files: Vec<PathBuf> = ["", "-wal", "-shm"]
        .iter()
        .map(|suffix| PathBuf::from(format!("{database}{suffix}")))
        .filter(|p| p.is_file())
        .collect();
    let mut backups: Vec<PathBuf> = std::fs::read_dir(&paths.data_dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(".backup.sqlite3"))
        .collect();
    backups.sort();
    files.extend(backups);
    files
}

/// Copies the data files, byte for byte and flushed to disk, into a new folder
/// `greenlight-data-<time>` under `into`; returns that folder. Reads the originals only.
pub fn save_data_copy(
    paths: &AppPaths,
    into: &Path,
    now: DateTime<Utc>,
) -> Result<PathBuf, ApiError> {
    let files = data_files(paths);
    if files.is_empty() {
        return Err(ApiError::new(
            Code::NotFound,
            format!(
                "there are no data files at {} to copy",
                paths.data_dir.display()
            ),
        ));
    }
    let stamp = now.format("%Y%m%d-%H%M%S");
    let mut folder = into.join(format!("greenlight-data-{stamp}"));
    let mut n = 2;
    while folder.exists() {
        folder = into.join(format!("greenlight-data-{stamp}-{n}"));
        n += 1;
    }
    std::fs::create_dir_all(&folder).map_err(|e| crate::export::io_error(&folder, e))?;
    for file in &files {
        let name = file.file_name().unwrap_or_default();
        let target = folder.join(name);
        std::fs::copy(file, &target)
            .and_then(|_| std::fs::File::open(&target)?.sync_all())
            .map_err(|e| crate::export::io_error(&target, e))?;
    }
    tracing::info!(folder = %folder.display(), files = files.len(), "saved a copy of the data");
    Ok(folder)
}

/// [`save_data_copy`] into the default archive folder (Settings cannot be read when the data
/// cannot be opened); returns the new folder for the window to show.
pub fn save_data_copy_to_archive(paths: &AppPaths, now: DateTime<Utc>) -> Result<String, ApiError> {
    let into = paths.default_export_dir.clone();
    save_data_copy(paths, &into, now).map(|folder| folder.display().to_string())
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;

    use super::*;

    #[test]
    fn a_startup_problem_names_the_file_and_the_backups_to_recover_from() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(dir.path());
        let error = ApiError::new(
            Code::DatabaseCorrupt,
            "the database file is damaged (file is not a database)",
        );
        let without = describe_startup_problem(&paths, error.clone());
        assert_eq!(without.code, Code::DatabaseCorrupt);
        assert!(
            without.message.contains("Nothing was changed"),
            "{}",
            without.message
        );
        assert!(
            without
                .message
                .contains(&paths.database.display().to_string())
        );
        assert!(without.message.contains("move"), "{}", without.message);

        let backup = dir.path().join("greenlight.schema1.backup.sqlite3");
        std::fs::write(&backup, b"x").unwrap();
        let with = describe_startup_problem(&paths, error);
        assert!(
            with.message.contains(&backup.display().to_string()),
            "{}",
            with.message
        );
    }

    #[test]
    fn a_data_copy_holds_the_database_its_wal_and_the_backups_byte_for_byte() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&dir.path().join("data"));
        std::fs::create_dir_all(&paths.data_dir).unwrap();
        std::fs::write(&paths.database, b"not a database \x00\xff").unwrap();
        let wal = paths.data_dir.join("greenlight.sqlite3-wal");
        std::fs::write(&wal, b"wal frames").unwrap();
        let backup = paths.data_dir.join("greenlight.schema2.backup.sqlite3");
        std::fs::write(&backup, b"older copy").unwrap();
        std::fs::write(paths.data_dir.join("unrelated.txt"), b"x").unwrap();
        let now = Utc.with_ymd_and_hms(2026, 11, 23, 14, 30, 5).unwrap();

        let into = dir.path().join("exports");
        let folder = save_data_copy(&paths, &into, now).unwrap();
        assert_eq!(folder, into.join("greenlight-data-20261123-143005"));
        let mut names: Vec<String> = std::fs::read_dir(&folder)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        assert_eq!(
            names,
            [
                "greenlight.schema2.backup.sqlite3",
                "greenlight.sqlite3",
                "greenlight.sqlite3-wal"
            ]
        );
        assert_eq!(
            std::fs::read(folder.join("greenlight.sqlite3")).unwrap(),
            std::fs::read(&paths.database).unwrap()
        );
        assert_eq!(
            std::fs::read(&paths.database).unwrap(),
            b"not a database \x00\xff",
            "the original is untouched"
        );

        let again = save_data_copy(&paths, &into, now).unwrap();
        assert_ne!(
            again, folder,
            "a second copy in the same second gets its own folder"
        );
    }

    #[test]
    fn a_data_copy_with_nothing_to_copy_or_nowhere_to_write_says_so() {
        let dir = tempfile::tempdir().unwrap();
        let paths = AppPaths::under(&dir.path().join("empty"));
        let now = Utc::now();
        assert_eq!(
            save_data_copy(&paths, dir.path(), now).unwrap_err().code,
            Code::NotFound
        );

        std::fs::create_dir_all(&paths.data_dir).unwrap();
        std::fs::write(&paths.database, b"db").unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, b"x").unwrap();
        let err = save_data_copy(&paths, &blocker, now).unwrap_err();
        assert_eq!(err.code, Code::FileWriteFailed, "{err:?}");
        assert!(err.message.contains("a-file"), "{}", err.message);
    }
}
