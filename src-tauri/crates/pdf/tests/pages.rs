//! Paper sizes and pagination of long documents.

mod common;

use common::*;
use greenlight_core::Block;
use greenlight_pdf::{AuditLine, Paper, render_blank, render_record};

/// The first page's MediaBox (width, height) in points, read from the uncompressed page object.
fn media_box(pdf: &[u8]) -> (f32, f32) {
    let text = String::from_utf8_lossy(pdf);
    let start = text.find("/MediaBox").expect("a MediaBox") + "/MediaBox".len();
    let open = start + text[start..].find('[').expect("[");
    let close = open + text[open..].find(']').expect("]");
    let numbers: Vec<f32> = text[open + 1..close]
        .split_whitespace()
        .map(|n| n.parse().expect("number"))
        .collect();
    (numbers[2] - numbers[0], numbers[3] - numbers[1])
}

#[test]
fn letter_and_a4_pages_have_their_own_sizes() {
    let template = sample_template();
    let a4 = media_box(&render_blank(&template, &blank_options(Paper::A4)).expect("a4"));
    let letter =
        media_box(&render_blank(&template, &blank_options(Paper::Letter)).expect("letter"));
    assert!(
        (a4.0 - 595.28).abs() < 0.5 && (a4.1 - 841.89).abs() < 0.5,
        "A4 is 595 x 842 pt: {a4:?}"
    );
    assert!(
        (letter.0 - 612.0).abs() < 0.5 && (letter.1 - 792.0).abs() < 0.5,
        "Letter is 612 x 792 pt: {letter:?}"
    );
}

/// A template with 1,000 items in 20 sections of 50.
fn thousand_items() -> greenlight_core::Template {
    let mut template = sample_template();
    template.sections = (0..20)
        .map(|s| {
            let blocks = (0..50)
                .map(|i| {
                    Block::Item(item(
                        &format!("i-{s}-{i}"),
                        &format!("Synthetic check {s}.{i}: the service answers within its budget"),
                    ))
                })
                .collect();
            section(
                &format!("s-{s}"),
                &format!("Synthetic section {s}"),
                2,
                blocks,
                vec![],
            )
        })
        .collect();
    template
}

#[test]
fn a_thousand_item_template_paginates_with_a_correct_page_n_of_m_on_every_page() {
    let template = thousand_items();
    let pdf = render_blank(&template, &blank_options(Paper::A4)).expect("render");
    if !(have("pdftotext") && have("qpdf")) {
        return;
    }
    let dir = temp_dir();
    let file = write(dir.path(), "thousand.pdf", &pdf);
    assert_qpdf_ok(&file);
    let text = pdftotext(&file);
    let pages: Vec<&str> = text
        .split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect();
    let total = pages.len();
    assert!(total >= 20, "1,000 items need many pages, got {total}");
    for (i, page) in pages.iter().enumerate() {
        let want = format!("Page {} of {}", i + 1, total);
        assert!(page.contains(&want), "page {} lacks {want:?}", i + 1);
        // No page ends with a section heading: the last content line before the footer is not one.
        let lines: Vec<&str> = page
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .collect();
        let before_footer = lines
            .len()
            .checked_sub(2)
            .map(|n| lines[n])
            .unwrap_or_default();
        assert!(
            !before_footer.starts_with("Synthetic section"),
            "page {} ends with a heading",
            i + 1
        );
    }
    for s in 0..20 {
        assert!(
            text.contains(&format!("Synthetic check {s}.49")),
            "section {s} printed to the end"
        );
    }
}

#[test]
fn a_long_record_paginates_too() {
    let template = thousand_items();
    let record = sample_record(&template);
    let pdf = render_record(&record, &record_options(Paper::Letter)).expect("render");
    assert!(pdf.len() > 10_000);
}

/// The non-empty pages of `pdftotext -layout` output (pages end with a form feed).
fn text_pages(text: &str) -> Vec<&str> {
    text.split('\u{c}')
        .filter(|p| !p.trim().is_empty())
        .collect()
}

/// Whether a line is exactly the given words, however `-layout` spaced them.
fn is_line_of(line: &str, words: &[&str]) -> bool {
    line.split_whitespace().eq(words.iter().copied())
}

#[test]
fn every_page_the_audit_table_runs_onto_starts_with_a_continued_line_and_the_column_headers() {
    let template = sample_template();
    let mut record = sample_record(&template);
    record.audit.events = (1..=260)
        .map(|position| AuditLine {
            position,
            kind: "item_state".into(),
            element_id: Some(format!("ev-{position:04}")),
            actor: "alice".into(),
            at: at(10, (position % 60) as u32),
            hash: format!("{:064x}", position),
        })
        .collect();
    record.audit.event_count = 260;
    let pdf = render_record(&record, &record_options(Paper::A4)).expect("render");
    if !(have("pdftotext") && have("qpdf")) {
        return;
    }
    let dir = temp_dir();
    let file = write(dir.path(), "long-audit.pdf", &pdf);
    assert_qpdf_ok(&file);
    let text = pdftotext(&file);
    let header = ["#", "Time", "Actor", "Kind", "Element", "Hash"];
    let audit_pages: Vec<(usize, &str)> = text_pages(&text)
        .into_iter()
        .enumerate()
        .filter(|(_, page)| page.contains("ev-0"))
        .collect();
    assert!(
        audit_pages.len() >= 3,
        "260 events span 3+ pages, got {}",
        audit_pages.len()
    );
    for (n, (index, page)) in audit_pages.iter().enumerate() {
        let lines: Vec<&str> = page.lines().filter(|l| !l.trim().is_empty()).collect();
        let header_at = lines.iter().position(|l| is_line_of(l, &header));
        let first_row = lines.iter().position(|l| l.contains("ev-0"));
        assert!(
            header_at.is_some() && header_at < first_row,
            "page {} lists audit rows without the column headers above them:\n{page}",
            index + 1
        );
        let continued = lines
            .iter()
            .position(|l| is_line_of(l, &["Audit", "trail", "(continued)"]));
        if n == 0 {
            assert!(
                page.contains("Audit trail") && continued.is_none(),
                "{page}"
            );
        } else {
            assert_eq!(
                continued,
                Some(0),
                "page {} does not open with the continued line:\n{page}",
                index + 1
            );
        }
    }
    for position in [1, 130, 260] {
        let row = format!("ev-{position:04}");
        assert_eq!(text.matches(&row).count(), 1, "{row} printed once");
    }
}

#[test]
fn a_template_table_running_over_a_page_break_repeats_its_header_row() {
    let mut template = sample_template();
    let mut markdown = String::from("| Service | Owner | Rollback plan |\n|---|---|---|\n");
    for i in 1..=150 {
        markdown.push_str(&format!(
            "| svc-{i:03} | team {i} | redeploy the previous tag |\n"
        ));
    }
    template.sections[0].blocks.push(Block::Prose {
        line: 5,
        markdown,
        lines: Vec::new(),
    });
    let pdf = render_blank(&template, &blank_options(Paper::Letter)).expect("render");
    if !(have("pdftotext") && have("qpdf")) {
        return;
    }
    let dir = temp_dir();
    let file = write(dir.path(), "long-table.pdf", &pdf);
    assert_qpdf_ok(&file);
    let text = pdftotext(&file);
    let table_pages: Vec<&str> = text_pages(&text)
        .into_iter()
        .filter(|page| page.contains("svc-"))
        .collect();
    assert!(table_pages.len() >= 3, "150 rows span 3+ pages");
    for page in table_pages {
        let lines: Vec<&str> = page.lines().collect();
        let header_at = lines
            .iter()
            .position(|l| is_line_of(l, &["Service", "Owner", "Rollback", "plan"]));
        let first_row = lines.iter().position(|l| l.contains("svc-"));
        assert!(
            header_at.is_some() && header_at < first_row,
            "a page lists table rows without the header row above them:\n{page}"
        );
    }
}
