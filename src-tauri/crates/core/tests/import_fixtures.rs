//! Each construct the importer recognises, on small fixtures written for the purpose.

mod common;

use common::*;
use greenlight_core::{Block, FieldKind, LineDisposition};

#[test]
fn every_bullet_style_and_checkbox_state_is_an_item() {
    let template = import(&fixture("items.md"));
    let bullets = section(&template, "Bullets");
    let titles: Vec<(&str, bool)> = bullets
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Item(item) => Some((item.title.as_str(), item.checked_in_source)),
            _ => None,
        })
        .collect();
    assert_eq!(
        titles,
        [
            ("Dash item", false),
            ("Star item", false),
            ("Plus item", false),
            ("Checked lower-case", true),
            ("Checked upper-case", true),
            ("Ordered first", false),
            ("Ordered second", false),
        ]
    );
}

#[test]
fn the_first_h1_is_the_title_and_its_prose_the_description() {
    let template = import(&fixture("items.md"));
    assert_eq!(template.title, "Item Shapes");
    assert_eq!(
        template.description,
        "Every way of writing a checkbox item."
    );
    assert!(
        sections(&template)
            .iter()
            .all(|section| section.title != "Item Shapes")
    );
}

#[test]
fn bold_lead_text_is_the_title_and_the_rest_the_detail() {
    let template = import(&fixture("items.md"));
    assert_eq!(
        item(&template, "Restart the workers").detail,
        "one node at a time"
    );
    assert_eq!(
        item(&template, "Drain the queue").detail,
        "wait until it is empty"
    );
    assert_eq!(item(&template, "Whole line in bold").detail, "");
    let plain = item(&template, "Plain title with inline code and a runbook link");
    assert_eq!(plain.detail, "");
}

#[test]
fn nested_checkboxes_become_children_and_plain_bullets_notes() {
    let template = import(&fixture("items.md"));
    let parent = item(&template, "Parent step");
    assert_eq!(parent.children.len(), 1);
    assert_eq!(parent.children[0].title, "Child step");
    assert_eq!(parent.children[0].children[0].title, "Grandchild step");
    assert_eq!(parent.notes, ["- A plain note under the parent"]);
    assert_eq!(parent.expectations, ["all three steps done"]);
    let loose = item(&template, "Step with a loose paragraph");
    assert_eq!(loose.notes, ["A second paragraph kept as a note."]);
}

#[test]
fn checkboxes_under_a_plain_numbered_list_are_items_and_the_number_is_prose() {
    let template = import(&fixture("items.md"));
    let nesting = section(&template, "Nesting");
    assert!(nesting.blocks.iter().any(
        |block| matches!(block, Block::Prose { markdown, .. } if markdown == "1. **Phase one**")
    ));
    assert_eq!(
        item(&template, "Step inside a plain numbered list").line,
        34
    );
}

#[test]
fn code_under_an_item_keeps_its_language_and_expected_lines() {
    let template = import(&fixture("items.md"));
    let cache = item(&template, "Check the cache answers");
    assert_eq!(cache.code[0].lang, "bash");
    assert!(cache.code[0].code.contains("# Ping the primary first"));
    assert_eq!(cache.expectations, ["PONG"]);
    let rows = item(&template, "Count the rows");
    assert_eq!(rows.code[0].lang, "sql");
    assert_eq!(rows.code[0].expectations, ["more than 0 rows"]);
}

#[test]
fn hash_lines_inside_code_fences_are_never_headings() {
    let template = import(&fixture("items.md"));
    let titles: Vec<&str> = sections(&template)
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert_eq!(titles, ["Bullets", "Titles", "Nesting", "Commands"]);
    let commands = section(&template, "Commands");
    assert!(
        matches!(commands.blocks.last(), Some(Block::Code(code)) if code.code.starts_with("# Not a heading"))
    );
    let reported: Vec<LineDisposition> = template
        .report
        .unstructured
        .iter()
        .filter(|l| l.line >= 50)
        .map(|l| l.disposition)
        .collect();
    assert_eq!(reported, [LineDisposition::KeptAsCode; 4]);
}

#[test]
fn blanks_before_the_first_section_are_run_metadata() {
    let template = import(&fixture("write_ins.md"));
    let metadata: Vec<(&str, FieldKind)> = template
        .metadata_fields
        .iter()
        .map(|f| (f.label.as_str(), f.kind))
        .collect();
    assert_eq!(
        metadata,
        [
            ("Release", FieldKind::Text),
            ("Deployment Date", FieldKind::Date)
        ]
    );
}

#[test]
fn blanks_under_an_item_are_its_fields_with_units() {
    let template = import(&fixture("write_ins.md"));
    let load = item(&template, "Load test finished");
    let fields: Vec<(&str, Option<&str>)> = load
        .fields
        .iter()
        .map(|f| (f.label.as_str(), f.unit.as_deref()))
        .collect();
    assert_eq!(
        fields,
        [
            ("Response time P95", Some("ms")),
            ("baseline", None),
            ("Error rate", Some("%")),
            ("Memory usage", Some("MB"))
        ]
    );
    assert!(
        load.fields
            .iter()
            .filter(|f| f.unit.is_some())
            .all(|f| f.kind == FieldKind::Number)
    );
    let named = item(&template, "On-call engineer named");
    assert_eq!(named.fields[0].kind, FieldKind::Person);
}

#[test]
fn blanks_in_section_prose_are_field_blocks() {
    let template = import(&fixture("write_ins.md"));
    let labels: Vec<(&str, Option<&str>, FieldKind)> = section(&template, "Measurements")
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Field(f) => Some((f.label.as_str(), f.unit.as_deref(), f.kind)),
            _ => None,
        })
        .collect();
    assert_eq!(
        labels,
        [
            ("Current Time", None, FieldKind::Time),
            ("Expected End Time", None, FieldKind::Time),
            ("Time to Deploy", Some("minutes"), FieldKind::Number),
            ("Post-Release Issues", Some("critical"), FieldKind::Number),
            ("Post-Release Issues", Some("major"), FieldKind::Number),
        ]
    );
}

#[test]
fn underscore_filler_lines_are_reported_as_ignored() {
    let source = fixture("write_ins.md");
    let template = import(&source);
    let ignored: Vec<u32> = template
        .report
        .unstructured
        .iter()
        .filter(|line| line.disposition == LineDisposition::Ignored)
        .map(|line| line.line)
        .collect();
    assert_eq!(ignored, [21, 22]);
    assert_eq!(
        accounted_blanks(&template),
        blank_runs_outside_fences(&source)
    );
}

#[test]
fn inline_boxes_on_an_item_are_a_choice() {
    let template = import(&fixture("choices_and_gates.md"));
    let ready = item(&template, "Ready to proceed");
    assert_eq!(ready.choices[0].options, ["GO", "NO-GO"]);
    assert_eq!(items(&template).len(), 5);
    let outcome = item(&template, "Load test outcome");
    let choices: Vec<(&str, Vec<&str>)> = outcome
        .choices
        .iter()
        .map(|c| {
            (
                c.label.as_str(),
                c.options.iter().map(String::as_str).collect(),
            )
        })
        .collect();
    assert_eq!(
        choices,
        [
            ("Result", vec!["PASS", "FAIL"]),
            ("Issues seen", vec!["None", "See notes"])
        ]
    );
}

#[test]
fn verdict_and_yes_no_lines_are_choices_but_ordinary_slashes_are_prose() {
    let template = import(&fixture("choices_and_gates.md"));
    let review = section(&template, "Readiness Review");
    let choices: Vec<(&str, Vec<&str>)> = review
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Choice(c) => Some((
                c.label.as_str(),
                c.options.iter().map(String::as_str).collect(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        choices,
        [
            ("Status", vec!["VERIFIED", "ISSUES FOUND"]),
            ("Rollback Needed", vec!["Yes", "No"])
        ]
    );
    assert!(prose(&template).contains(&"Request/response logging and TCP / UDP ports stay prose."));
}

#[test]
fn a_decision_line_is_a_gate_covering_its_sections_items() {
    let template = import(&fixture("choices_and_gates.md"));
    let gates = gates(&template);
    assert_eq!(gates.len(), 2);
    assert_eq!(gates[0].title, "Readiness Review");
    assert_eq!(gates[0].authority.as_deref(), Some("Change Manager"));
    assert_eq!(gates[0].options, ["GO", "NO-GO"]);
    let review_items: Vec<String> = section(&template, "Readiness Review")
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Item(item) => Some(item.id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(gates[0].covers, review_items);
}

#[test]
fn a_gate_without_authority_is_kept_with_a_warning() {
    let template = import(&fixture("choices_and_gates.md"));
    let gate = gates(&template)[1];
    assert_eq!(gate.authority, None);
    assert_eq!(gate.options, ["PROCEED", "HOLD"]);
    assert!(
        template
            .report
            .warnings
            .iter()
            .any(|w| w.contains("Unowned Gate") && w.contains("no `Decision Authority:`"))
    );
}

#[test]
fn signatory_checkboxes_are_items_with_a_signature() {
    let template = import(&fixture("signatures.md"));
    let approvals = item(&template, "All approvals obtained:");
    let roles: Vec<(&str, bool)> = approvals
        .children
        .iter()
        .filter_map(|child| child.signature.as_ref().map(|s| (s.role.as_str(), s.dated)))
        .collect();
    assert_eq!(
        roles,
        [("Release Manager", false), ("Security Lead", false)]
    );
    let qa = item(&template, "QA Lead");
    assert!(
        qa.signature
            .as_ref()
            .is_some_and(|s| s.dated && s.role == "QA Lead")
    );
    assert!(qa.fields.is_empty());
    assert!(
        item(&template, "Platform Owner")
            .signature
            .as_ref()
            .is_some_and(|s| !s.dated)
    );
}

#[test]
fn a_by_line_is_a_person_field_not_a_signature() {
    let template = import(&fixture("signatures.md"));
    let authorized = item(&template, "Deployment authorized by");
    assert!(authorized.signature.is_none());
    assert_eq!(authorized.fields[0].kind, FieldKind::Person);
}

#[test]
fn plain_bullets_after_a_signatures_paragraph_are_signature_blocks() {
    let template = import(&fixture("signatures.md"));
    let slots: Vec<(&str, bool)> = section(&template, "Sign-off")
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Signature(s) => Some((s.role.as_str(), s.dated)),
            _ => None,
        })
        .collect();
    assert_eq!(
        slots,
        [("Operations Lead", true), ("Database Administrator", false)]
    );
    let contacts = section(&template, "Contacts");
    assert!(
        contacts
            .blocks
            .iter()
            .any(|b| matches!(b, Block::Field(f) if f.label == "Incident Commander"))
    );
}

#[test]
fn tables_links_emoji_and_unicode_are_kept_verbatim() {
    let source = fixture("prose_and_unicode.md");
    let template = import(&source);
    assert_eq!(template.title, "Déploiement 🚀 Production");
    assert!(
        template
            .description
            .contains("[link](https://example.test)")
    );
    let tables = section(&template, "📋 Tables & Links");
    assert!(
        matches!(&tables.blocks[0], Block::Prose { markdown, .. } if markdown.contains("| api     | Ana   | 8080 |"))
    );
    assert_eq!(item(&template, "Read the status page ✅").line, 11);
    item(&template, "Confirm ünïcödé — “quotes” and 中文 stay intact");
    assert_eq!(section(&template, "Deeper heading with code").level, 3);
}

#[test]
fn html_and_script_links_stay_text_and_no_html_is_produced() {
    let template = import(&fixture("prose_and_unicode.md"));
    let prose = prose(&template).join("\n");
    assert!(prose.contains("<script>alert(\"x\")</script>"));
    assert!(prose.contains("[here](javascript:alert(1))"));
    assert!(prose.contains("<b>bold html</b>"));
    item(&template, "<script>alert(2)</script> stays text");
    let comment = template
        .report
        .unstructured
        .iter()
        .find(|line| line.text.starts_with("<!--"));
    assert_eq!(
        comment.map(|line| line.disposition),
        Some(LineDisposition::Ignored)
    );
    let json = serde_json::to_string(&template).unwrap_or_default();
    assert!(!json.contains("<p>") && !json.contains("<li>") && !json.contains("<h2"));
}

#[test]
fn checkboxes_in_block_quotes_count_and_later_h1s_are_sections() {
    let template = import(&fixture("prose_and_unicode.md"));
    item(&template, "Quoted checkbox still counts");
    let second = section(&template, "A Second H1");
    assert_eq!(second.level, 1);
    assert_eq!(
        template.sections.last().map(|s| s.title.as_str()),
        Some("A Second H1")
    );
}

#[test]
fn a_template_without_h1_takes_the_fallback_title() {
    let template = import("## Only a section\n\n- [ ] One step\n");
    assert_eq!(template.title, "Fallback title");
    assert_eq!(template.sections[0].title, "Only a section");
}

#[test]
fn items_before_the_first_h2_go_into_a_section_named_after_the_title() {
    let template = import(
        "# Quick List\n\nWhy this exists.\n\n- [ ] First\n- [ ] Second\n\n## Later\n\n- [ ] Third\n",
    );
    assert_eq!(template.description, "Why this exists.");
    let first = &template.sections[0];
    assert_eq!(
        (first.title.as_str(), first.level, first.line),
        ("Quick List", 1, 1)
    );
    assert_eq!(first.blocks.len(), 2);
    assert_eq!(template.sections[1].title, "Later");
}

#[test]
fn deeper_headings_nest_under_the_nearest_shallower_one() {
    let template = import("# T\n## A\n#### A-deep\n- [ ] x\n### A-mid\n## B\n- [ ] y\n");
    let a = &template.sections[0];
    let children: Vec<&str> = a.children.iter().map(|s| s.title.as_str()).collect();
    assert_eq!(children, ["A-deep", "A-mid"]);
    assert_eq!(template.sections[1].title, "B");
}

#[test]
fn duplicate_item_text_in_a_section_is_warned_about() {
    let template = import("# T\n## S\n- [ ] Same\n- [ ] Same\n");
    assert!(
        template
            .report
            .warnings
            .iter()
            .any(|w| w.contains("\"Same\" appears 2 times (lines 3, 4)"))
    );
    assert_ne!(template.sections[0].blocks.len(), 1);
}

#[test]
fn every_fixture_line_is_structured_or_reported() {
    for name in [
        "items.md",
        "write_ins.md",
        "choices_and_gates.md",
        "signatures.md",
        "prose_and_unicode.md",
    ] {
        let source = fixture(name);
        let template = import(&source);
        assert_eq!(
            unaccounted_lines(&source, &template),
            Vec::<u32>::new(),
            "{name}"
        );
        assert_eq!(
            accounted_blanks(&template),
            blank_runs_outside_fences(&source),
            "{name}"
        );
    }
}

#[test]
fn report_counts_match_the_elements() {
    let template = import(&fixture("signatures.md"));
    let report = &template.report;
    assert_eq!(report.items as usize, items(&template).len());
    assert_eq!(report.signatures as usize, signatures(&template).len());
    assert_eq!(report.fields as usize, fields(&template).len());
    assert_eq!(report.sections as usize, sections(&template).len());
}
