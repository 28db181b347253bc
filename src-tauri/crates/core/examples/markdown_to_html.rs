//! Benchmark helper: renders a Markdown checklist to a printable HTML page (A4, DejaVu Sans,
//! task-list boxes drawn as empty squares) with the same parser and options as the importer, so
//! Chromium's print-to-PDF can be compared with Greenlight's own PDF of the same checklist
//! (`scripts/bench-pdf-vs-chromium.sh`).
//!
//! Usage: `cargo run --release -p greenlight-core --example markdown_to_html -- IN.md OUT.html`

use std::fmt::Write as _;

use pulldown_cmark::{Alignment, CodeBlockKind, Event, HeadingLevel, Options, Parser, Tag, TagEnd};

const STYLE: &str = "\
@page { size: A4; margin: 18mm 16mm; }
body { font-family: 'DejaVu Sans', sans-serif; font-size: 10pt; line-height: 1.35; color: #000; }
h1 { font-size: 16pt; } h2 { font-size: 13pt; } h3, h4, h5, h6 { font-size: 11pt; }
h1, h2, h3, h4, h5, h6 { break-after: avoid; margin: 0.9em 0 0.35em; }
li { margin: 0.15em 0; break-inside: avoid; }
li:has(> input.box), li:has(> p > input.box) { list-style: none; }
input.box { appearance: none; width: 0.85em; height: 0.85em; border: 1px solid #000;
  margin: 0 0.45em 0 -1.3em; vertical-align: -0.1em; }
input.box:checked { background: #000; }
pre { font-family: 'DejaVu Sans Mono', monospace; font-size: 8.5pt; white-space: pre-wrap;
  border-left: 2px solid #999; padding-left: 0.6em; break-inside: avoid; }
code { font-family: 'DejaVu Sans Mono', monospace; font-size: 9pt; }
table { border-collapse: collapse; margin: 0.5em 0; }
th, td { border: 1px solid #666; padding: 0.2em 0.45em; text-align: left; }
blockquote { margin-left: 1em; padding-left: 0.6em; border-left: 2px solid #999; }
";

fn escape(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

fn heading(level: HeadingLevel) -> u8 {
    match level {
        HeadingLevel::H1 => 1,
        HeadingLevel::H2 => 2,
        HeadingLevel::H3 => 3,
        HeadingLevel::H4 => 4,
        HeadingLevel::H5 => 5,
        HeadingLevel::H6 => 6,
    }
}

/// The Markdown as an HTML body: every block the seeds use; raw HTML is shown as text.
fn body(markdown: &str) -> String {
    let options =
        Options::ENABLE_TASKLISTS | Options::ENABLE_TABLES | Options::ENABLE_STRIKETHROUGH;
    let mut out = String::new();
    let mut aligns: Vec<Alignment> = Vec::new();
    let mut cell = 0;
    let mut in_head = false;
    for event in Parser::new_ext(markdown, options) {
        match event {
            Event::Start(tag) => match tag {
                Tag::Paragraph => out.push_str("<p>"),
                Tag::Heading { level, .. } => {
                    let _ = write!(out, "<h{}>", heading(level));
                }
                Tag::BlockQuote(_) => out.push_str("<blockquote>"),
                Tag::CodeBlock(CodeBlockKind::Fenced(lang)) if !lang.is_empty() => {
                    out.push_str("<pre><code class=\"");
                    escape(&mut out, &lang);
                    out.push_str("\">");
                }
                Tag::CodeBlock(_) => out.push_str("<pre><code>"),
                Tag::List(Some(start)) => {
                    let _ = write!(out, "<ol start=\"{start}\">");
                }
                Tag::List(None) => out.push_str("<ul>"),
                Tag::Item => out.push_str("<li>"),
                Tag::Table(a) => {
                    aligns = a;
                    out.push_str("<table>");
                }
                Tag::TableHead => {
                    in_head = true;
                    cell = 0;
                    out.push_str("<thead><tr>");
                }
                Tag::TableRow => {
                    cell = 0;
                    out.push_str("<tr>");
                }
                Tag::TableCell => {
                    let align = match aligns.get(cell) {
                        Some(Alignment::Center) => " style=\"text-align:center\"",
                        Some(Alignment::Right) => " style=\"text-align:right\"",
                        _ => "",
                    };
                    let _ = write!(out, "<{}{align}>", if in_head { "th" } else { "td" });
                }
                Tag::Emphasis => out.push_str("<em>"),
                Tag::Strong => out.push_str("<strong>"),
                Tag::Strikethrough => out.push_str("<del>"),
                Tag::Link { dest_url, .. } => {
                    out.push_str("<a href=\"");
                    escape(&mut out, &dest_url);
                    out.push_str("\">");
                }
                Tag::Image { dest_url, .. } => {
                    out.push_str("[image ");
                    escape(&mut out, &dest_url);
                    out.push(' ');
                }
                _ => {}
            },
            Event::End(tag) => match tag {
                TagEnd::Paragraph => out.push_str("</p>\n"),
                TagEnd::Heading(level) => {
                    let _ = writeln!(out, "</h{}>", heading(level));
                }
                TagEnd::BlockQuote(_) => out.push_str("</blockquote>\n"),
                TagEnd::CodeBlock => out.push_str("</code></pre>\n"),
                TagEnd::List(true) => out.push_str("</ol>\n"),
                TagEnd::List(false) => out.push_str("</ul>\n"),
                TagEnd::Item => out.push_str("</li>\n"),
                TagEnd::Table => out.push_str("</tbody></table>\n"),
                TagEnd::TableHead => {
                    in_head = false;
                    out.push_str("</tr></thead><tbody>\n");
                }
                TagEnd::TableRow => out.push_str("</tr>\n"),
                TagEnd::TableCell => {
                    out.push_str(if in_head { "</th>" } else { "</td>" });
                    cell += 1;
                }
                TagEnd::Emphasis => out.push_str("</em>"),
                TagEnd::Strong => out.push_str("</strong>"),
                TagEnd::Strikethrough => out.push_str("</del>"),
                TagEnd::Link => out.push_str("</a>"),
                TagEnd::Image => out.push(']'),
                _ => {}
            },
            Event::Text(text) | Event::Html(text) | Event::InlineHtml(text) => {
                escape(&mut out, &text);
            }
            Event::Code(text) => {
                out.push_str("<code>");
                escape(&mut out, &text);
                out.push_str("</code>");
            }
            Event::SoftBreak => out.push('\n'),
            Event::HardBreak => out.push_str("<br>\n"),
            Event::Rule => out.push_str("<hr>\n"),
            Event::TaskListMarker(done) => {
                let checked = if done { " checked" } else { "" };
                let _ = write!(
                    out,
                    "<input type=\"checkbox\" class=\"box\" disabled{checked}>"
                );
            }
            _ => {}
        }
    }
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
    let mut title = String::new();
    escape(
        &mut title,
        std::path::Path::new(input)
            .file_stem()
            .map(|s| s.to_string_lossy())
            .unwrap_or_default()
            .as_ref(),
    );
    let html = format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title>\n<style>\n{STYLE}</style></head>\n<body>\n{}</body></html>\n",
        body(&markdown)
    );
    if let Err(e) = std::fs::write(output, html) {
        eprintln!("cannot write {output}: {e}");
        std::process::exit(1);
    }
}
