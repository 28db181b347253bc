//! Where Greenlight keeps its files: the platform data and log folders, or everything under
//! `$GREENLIGHT_HOME` when set (tests and portable installs use it; it keeps them off real data).

use std::path::{Path, PathBuf};

/// The folders and files the app uses.
#[derive(Debug, Clone)]
pub struct AppPaths {
    pub data_dir: PathBuf,
    pub log_dir: PathBuf,
    pub database: PathBuf,
    /// Where exports go unless Settings names another folder: `exports` beside the data when
    /// everything lives under one folder (`--data-dir`, `$GREENLIGHT_HOME`), else an archive
    /// folder in the user's documents.
    pub default_export_dir: PathBuf,
}

/// Environment variable that relocates all app files under one folder.
pub const HOME_OVERRIDE: &str = "GREENLIGHT_HOME";

impl AppPaths {
    /// All files under one folder.
    pub fn under(root: &Path) -> AppPaths {
        AppPaths {
            data_dir: root.to_path_buf(),
            log_dir: root.join("logs"),
            database: root.join("greenlight.sqlite3"),
            default_export_dir: root.join("exports"),
        }
    }

    /// `$GREENLIGHT_HOME` if set, else the platform folders (XDG on Linux, Application Support
    /// on macOS, AppData on Windows).
    pub fn resolve() -> Result<AppPaths, String> {
        if let Some(root) = std::env::var_os(HOME_OVERRIDE).filter(|v| !v.is_empty()) {
            return Ok(AppPaths::under(Path::new(&root)));
        }
        let project = directories::ProjectDirs::from("dev", "Greenlight", "Greenlight")
            .ok_or("no home folder found: set GREENLIGHT_HOME to a folder Greenlight may use")?;
        let data_dir = project.data_dir().to_path_buf();
        let log_dir = if cfg!(target_os = "macos") {
            directories::BaseDirs::new()
                .map(|base| base.home_dir().join("Library/Logs/Greenlight"))
                .unwrap_or_else(|| data_dir.join("logs"))
        } else {
            project.data_local_dir().join("logs")
        };
        let default_export_dir = directories::UserDirs::new()
            .and_then(|dirs| dirs.document_dir().map(Path::to_path_buf))
            .map(|docs| docs.join("Greenlight Archive"))
            .unwrap_or_else(|| data_dir.join("exports"));
        Ok(AppPaths {
            database: data_dir.join("greenlight.sqlite3"),
            data_dir,
            log_dir,
            default_export_dir,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_override_folder_holds_the_database_and_logs() {
        let paths = AppPaths::under(Path::new("/tmp/gl"));
        assert_eq!(paths.database, Path::new("/tmp/gl/greenlight.sqlite3"));
        assert_eq!(paths.log_dir, Path::new("/tmp/gl/logs"));
        assert_eq!(paths.default_export_dir, Path::new("/tmp/gl/exports"));
    }
}
