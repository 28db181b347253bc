//! Build script: declares the app's commands to Tauri's permission system (so capabilities
//! must grant each one) and embeds the config.

include!("commands_list.rs");

fn main() {
    println!("cargo:rerun-if-changed=checklists");
    println!("cargo:rerun-if-changed=capabilities");
    let manifest = tauri_build::AppManifest::new().commands(COMMANDS);
    tauri_build::try_build(tauri_build::Attributes::new().app_manifest(manifest))
        .expect("tauri-build failed: check tauri.conf.json and capabilities/");
}
