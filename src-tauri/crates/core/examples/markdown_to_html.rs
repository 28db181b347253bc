//! Benchmark helper: renders a Markdown checklist to a printable HTML page (A4, DejaVu Sans,
//! task-list boxes drawn as empty squares) with the same parser and options as the importer, so
//! Chromium's print-to-PDF can be compared with Greenlight's own PDF of the same checklist
//! (`scripts/bench-pdf-vs-chromium.sh`).
//!
//! Usage: `cargo run --release -p greenlight-core --example markdown_to_html -- IN.md OUT.html`

use pulldown_cmark::{Event, Options, Parser, html};

const STYLE: &str = "\
@page { size: A4; margin: 18mm 16mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; line-height: 1.35; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; } h3, h4, h5, h6 { font-size: 11pt; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; margin: 0.9em 0 0.35em; }
li { margin: 0.15em 0; break-inside: avoid; }
li:has(> input[type=checkbox]), li:has(> p > input[type=checkbox]) { list-style: none; }
input[type=checkbox] { appearance: none; width: 0.85em; height: 0.85em; border: 1px solid #000;
  margin: 0 0.45em 0 -1.3em; vertical-align: -0.1em; }
input[type=checkbox]:checked { background: #000; }
pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; white-space: pre-wrap;
  border-left: 2px solid #999; padding-left: 0.6em; break-inside: avoid; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #666; padding: 0.2em 0.45em; text-align: left; }
blockquote { margin-left: 1em; padding-left: 0.6em; border-left: 2px solid #999; }
";

/// The Markdown as an HTML body, rendered by pulldown-cmark's own HTML writer with the importer's
/// options; raw HTML in the checklist is shown as text, as Greenlight shows it.
fn body(markdown: &str) -> String {
    let options =
        Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let events = Parser::new_ext(markdown, options).map(|event| match event {
        Event::Html(text) | Event::InlineHtml(text) => Event::Text(text),
        other => other,
    });
    let mut out = String::new();
    html::push_html(&mut out, events);
    out
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: markdown_to_html IN.md OUT.html");
        std::process::exit(2);
    };
    let markdown = match std::fs::read(input) {
        Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
        Err(e) => {
            eprintln!("cannot read {input}: {e}");
            std::process::exit(1);
        }
    };
    let stem = std::path::Path::new(input)
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default();
    let mut title = String::new();
    html::push_html(&mut title, std::iter::once(Event::Text(stem.into())));
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>\n{STYLE}</style></head>\n<body>\n{}</body></html>\n",
        body(&markdown)
    );
    if let Err(e) = std::fs::write(output, html) {
        eprintln!("cannot write {output}: {e}");
        std::process::exit(1);
    }
}
