//! How WebKitGTK paints the window. Its default (accelerated compositing) is fast on a GPU and
//! very slow without one (VMs, remote desktops, Xvfb): a mark took 0.5–1.9 s to reach the screen
//! there, against 50–80 ms with compositing off. So before the webview starts, the window picks
//! the mode that paints fastest on this machine; `GREENLIGHT_RENDERING=compositing|software`
//! overrides the choice, and a `WEBKIT_DISABLE_COMPOSITING_MODE` the user set is respected.
//! The choice is a pure function of the environment and the machine, tested as a table.

use std::ffi::OsString;
use std::path::Path;

/// The environment variable WebKitGTK reads to turn accelerated compositing off.
pub const WEBKIT_COMPOSITING_VARIABLE: &str = "WEBKIT_DISABLE_COMPOSITING_MODE";
/// Greenlight's own override: `compositing` or `software`.
pub const OVERRIDE_VARIABLE: &str = "GREENLIGHT_RENDERING";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RenderingMode {
    /// WebKitGTK's default: layers composited by the GPU.
    Compositing,
    /// Accelerated compositing off: painted on the CPU, fastest without a GPU.
    Software,
}

/// The mode chosen and why, for the log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RenderingChoice {
    pub mode: RenderingMode,
    pub reason: String,
}

/// What the choice looks at.
#[derive(Debug, Clone, Default)]
pub struct RenderingFacts {
    /// `GREENLIGHT_RENDERING`.
    pub override_value: Option<String>,
    /// `WEBKIT_DISABLE_COMPOSITING_MODE`, when the user (or a launcher) set it.
    pub webkit_value: Option<String>,
    /// `LIBGL_ALWAYS_SOFTWARE`: Mesa told to render on the CPU.
    pub libgl_software: Option<String>,
    /// A DRM render node (`/dev/dri/renderD*`): a GPU the webview can use.
    pub has_render_node: bool,
}

fn is_on(value: &str) -> bool {
    !matches!(value.trim(), "" | "0" | "false" | "no" | "off")
}

/// Picks the rendering mode: the override, then the user's WebKit setting, then the machine.
pub fn choose_rendering(facts: &RenderingFacts) -> RenderingChoice {
    let choice = |mode, reason: &str| RenderingChoice {
        mode,
        reason: reason.to_string(),
    };
    if let Some(value) = facts.override_value.as_deref() {
        match value.trim().to_ascii_lowercase().as_str() {
            "compositing" | "gpu" => {
                return choice(
                    RenderingMode::Compositing,
                    "GREENLIGHT_RENDERING=compositing",
                );
            }
            "software" | "cpu" => {
                return choice(RenderingMode::Software, "GREENLIGHT_RENDERING=software");
            }
            _ => {} // unknown: ignored (logged by the caller), the machine decides
        }
    }
    if let Some(value) = facts.webkit_value.as_deref() {
        return if is_on(value) {
            choice(
                RenderingMode::Software,
                "WEBKIT_DISABLE_COMPOSITING_MODE is set",
            )
        } else {
            choice(
                RenderingMode::Compositing,
                "WEBKIT_DISABLE_COMPOSITING_MODE=0",
            )
        };
    }
    if facts.libgl_software.as_deref().is_some_and(is_on) {
        return choice(RenderingMode::Software, "LIBGL_ALWAYS_SOFTWARE is set");
    }
    if facts.has_render_node {
        choice(RenderingMode::Compositing, "a GPU render node is present")
    } else {
        choice(
            RenderingMode::Software,
            "no GPU render node (/dev/dri/renderD*): compositing would paint slowly",
        )
    }
}

/// True when `dir` holds a DRM render node.
pub fn has_render_node(dir: &Path) -> bool {
    std::fs::read_dir(dir).is_ok_and(|entries| {
        entries
            .flatten()
            .any(|e| e.file_name().to_string_lossy().starts_with("renderD"))
    })
}

/// Reads the facts from this process's environment and this machine.
pub fn facts_of_this_machine() -> RenderingFacts {
    let var = |name: &str| std::env::var(name).ok();
    RenderingFacts {
        override_value: var(OVERRIDE_VARIABLE),
        webkit_value: var(WEBKIT_COMPOSITING_VARIABLE),
        libgl_software: var("LIBGL_ALWAYS_SOFTWARE"),
        has_render_node: has_render_node(Path::new("/dev/dri")),
    }
}

/// The environment the window process needs for `choice`, when it differs from the current one:
/// `Some((name, value))` to set before WebKit starts.
pub fn environment_for(
    choice: &RenderingChoice,
    facts: &RenderingFacts,
) -> Option<(&'static str, OsString)> {
    match choice.mode {
        RenderingMode::Software if facts.webkit_value.is_none() => {
            Some((WEBKIT_COMPOSITING_VARIABLE, OsString::from("1")))
        }
        _ => None,
    }
}

/// On Linux, WebKit reads its environment once at start and Rust cannot set a variable safely in
/// a running process, so when the chosen mode needs one the window re-executes itself with it
/// (same arguments, same process id). Returns only when no change is needed or the re-exec failed.
#[cfg(target_os = "linux")]
pub fn apply_before_window() {
    use std::os::unix::process::CommandExt;

    let facts = facts_of_this_machine();
    let choice = choose_rendering(&facts);
    tracing::info!(mode = ?choice.mode, reason = %choice.reason, "rendering mode");
    let Some((name, value)) = environment_for(&choice, &facts) else {
        return;
    };
    let Ok(exe) = std::env::current_exe() else {
        return;
    };
    let error = std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(name, value)
        .exec();
    tracing::warn!("could not restart with {name} set ({error}); painting may be slow");
}

/// Elsewhere WebKitGTK is not the webview: nothing to choose.
#[cfg(not(target_os = "linux"))]
pub fn apply_before_window() {}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(
        override_value: Option<&str>,
        webkit_value: Option<&str>,
        libgl: Option<&str>,
        gpu: bool,
    ) -> RenderingFacts {
        RenderingFacts {
            override_value: override_value.map(String::from),
            webkit_value: webkit_value.map(String::from),
            libgl_software: libgl.map(String::from),
            has_render_node: gpu,
        }
    }

    #[test]
    fn the_mode_follows_the_override_then_the_users_webkit_setting_then_the_machine() {
        use RenderingMode::{Compositing, Software};
        let table = [
            (facts(None, None, None, true), Compositing),
            (facts(None, None, None, false), Software),
            (facts(None, None, Some("1"), true), Software),
            (facts(None, None, Some("0"), true), Compositing),
            (facts(None, Some("1"), None, true), Software),
            (facts(None, Some("0"), None, false), Compositing),
            (facts(Some("compositing"), None, None, false), Compositing),
            (facts(Some("Software"), Some("0"), None, true), Software),
            (facts(Some("nonsense"), None, None, false), Software),
            (facts(Some("nonsense"), None, None, true), Compositing),
        ];
        for (given, expected) in table {
            assert_eq!(choose_rendering(&given).mode, expected, "{given:?}");
        }
    }

    #[test]
    fn software_mode_sets_the_webkit_variable_only_when_the_user_did_not() {
        let machine = facts(None, None, None, false);
        let choice = choose_rendering(&machine);
        assert_eq!(
            environment_for(&choice, &machine),
            Some((WEBKIT_COMPOSITING_VARIABLE, OsString::from("1")))
        );
        let user_set = facts(None, Some("1"), None, false);
        assert_eq!(
            environment_for(&choose_rendering(&user_set), &user_set),
            None
        );
        let gpu = facts(None, None, None, true);
        assert_eq!(environment_for(&choose_rendering(&gpu), &gpu), None);
    }

    #[test]
    fn a_render_node_is_found_by_its_name() {
        let dir = tempfile::tempdir().unwrap();
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("card0"), b"").unwrap();
        assert!(!has_render_node(dir.path()));
        std::fs::write(dir.path().join("renderD128"), b"").unwrap();
        assert!(has_render_node(dir.path()));
        assert!(!has_render_node(&dir.path().join("missing")));
    }
}
