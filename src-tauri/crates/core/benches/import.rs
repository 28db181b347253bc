//! Bench: import time of the seed checklists (when `../shared/seeds` is present) and of a
//! synthetic 10,000-item template. Prints a table. Run: `cargo bench -p greenlight-core`.

use std::time::Instant;

use greenlight_core::import_markdown;

fn synthetic(items: usize) -> String {
    let mut text = String::from("# Synthetic release\n\n**Release:** ____\n\n");
    for n in 0..items {
        if n % 50 == 0 {
            text.push_str(&format!("\n## Section {}\n\n", n / 50));
        }
        match n % 10 {
            0 => text.push_str(&format!("- [ ] **Check {n}** - verify service {n}\n  ```bash\n  curl -s https://svc-{n}.example/health\n  # Expected: status = \"ok\"\n  ```\n")),
            1 => text.push_str(&format!("- [ ] Response time P95 for {n}: ____ ms\n")),
            2 => text.push_str(&format!("  - [ ] Nested check {n}\n")),
            _ => text.push_str(&format!("- [ ] Plain check number {n} with some words\n")),
        }
    }
    text
}

fn time(label: &str, bytes: &[u8]) {
    let runs = 5;
    let mut best = f64::MAX;
    let mut items = 0;
    for _ in 0..runs {
        let started = Instant::now();
        let template = import_markdown(bytes, label).expect("imports");
        best = best.min(started.elapsed().as_secs_f64() * 1000.0);
        items = template.report.items;
    }
    println!("| {label} | {} | {items} | {best:.2} |", bytes.len());
}

fn main() {
    println!("import (best of 5)");
    println!("| input | bytes | items | ms |");
    println!("|---|---|---|---|");
    let seeds = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../../shared/seeds");
    match std::fs::read_dir(seeds) {
        Ok(entries) => {
            let mut files: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
            files.sort();
            for path in files
                .iter()
                .filter(|p| p.extension().is_some_and(|e| e == "txt"))
            {
                let name = path.file_name().unwrap().to_string_lossy().into_owned();
                time(&name, &std::fs::read(path).unwrap());
            }
        }
        Err(_) => eprintln!("seeds not found at {seeds}: only the synthetic input is timed"),
    }
    time("synthetic 10,000 items", synthetic(10_000).as_bytes());
}
