//! File paths written in probe specs (`ca_file`, `client_cert_file`, `client_key_file`): a
//! leading `~/` means the user's home folder, as in the shell snippets they come from.

use std::path::PathBuf;

/// The file a spec's path names.
pub(crate) fn resolve(path: &str) -> PathBuf {
    match (path.strip_prefix("~/"), std::env::home_dir()) {
        (Some(rest), Some(home)) => home.join(rest),
        _ => PathBuf::from(path),
    }
}

#[cfg(test)]
mod tests {
    use super::resolve;

    #[test]
    fn a_leading_tilde_is_the_home_folder_and_other_paths_are_left_alone() {
        let home = std::env::home_dir().expect("a home folder");
        assert_eq!(resolve("~/.pg/client.crt"), home.join(".pg/client.crt"));
        assert_eq!(resolve("/etc/ca.pem").to_str(), Some("/etc/ca.pem"));
        assert_eq!(resolve("certs/~/x").to_str(), Some("certs/~/x"));
        assert_eq!(resolve("~other/x").to_str(), Some("~other/x"));
    }
}
