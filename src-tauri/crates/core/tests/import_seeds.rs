//! Conformance against the five real checklists in `../shared/seeds` (skipped when absent).

mod common;

use std::collections::HashSet;

use common::*;
use greenlight_core::Block;

#[test]
fn every_seed_yields_its_exact_number_of_checkbox_items() {
    let Some(seeds) = seeds() else { return };
    let expected = [
        ("000", 121),
        ("001", 170),
        ("002", 281),
        ("003", 101),
        ("004", 205),
    ];
    for (prefix, count) in expected {
        let (name, source) = seeds
            .iter()
            .find(|(name, _)| name.starts_with(prefix))
            .expect("seed present");
        let template = import(source);
        assert_eq!(items(&template).len(), count, "{name}");
        assert_eq!(template.report.items, count as u32, "{name}");
    }
}

#[test]
fn every_blank_in_every_seed_is_accounted_for() {
    let Some(seeds) = seeds() else { return };
    for (name, source) in &seeds {
        let template = import(source);
        assert_eq!(
            accounted_blanks(&template),
            blank_runs_outside_fences(source),
            "{name}"
        );
    }
}

#[test]
fn every_non_blank_seed_line_is_structured_or_reported() {
    let Some(seeds) = seeds() else { return };
    for (name, source) in &seeds {
        let template = import(source);
        assert_eq!(
            unaccounted_lines(source, &template),
            Vec::<u32>::new(),
            "{name}"
        );
    }
}

#[test]
fn ids_are_unique_within_every_seed() {
    let Some(seeds) = seeds() else { return };
    for (name, source) in &seeds {
        let ids = ids(&import(source));
        let unique: HashSet<&String> = ids.iter().collect();
        assert_eq!(unique.len(), ids.len(), "{name}");
        assert!(ids.iter().all(|id| id.len() == 16), "{name}");
    }
}

#[test]
fn reimporting_a_seed_gives_the_same_template() {
    let Some(seeds) = seeds() else { return };
    for (name, source) in &seeds {
        assert_eq!(import(source), import(source), "{name}");
    }
}

#[test]
fn the_blue_green_seed_has_three_gates_with_their_authorities() {
    let Some((_, source)) = seed("002") else {
        return;
    };
    let template = import(&source);
    let gates = gates(&template);
    let authorities: Vec<Option<&str>> =
        gates.iter().map(|gate| gate.authority.as_deref()).collect();
    assert_eq!(
        authorities,
        [
            Some("Release Manager"),
            Some("Deployment Lead"),
            Some("Deployment Lead")
        ]
    );
    assert_eq!(gates[0].options, ["GO", "NO-GO"]);
    assert_eq!(gates[2].options, ["SUCCESS", "ISSUES REQUIRE ATTENTION"]);
    assert_eq!(gates[0].title, "Gate 1: Pre-Deployment Go/No-Go (T-1 hour)");
    let section = section(&template, "Gate 1: Pre-Deployment Go/No-Go (T-1 hour)");
    let section_items: Vec<String> = section
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Item(item) => Some(item.id.clone()),
            _ => None,
        })
        .collect();
    assert_eq!(gates[0].covers, section_items);
    assert_eq!(gates[0].covers.len(), 4);
}

#[test]
fn the_go_no_go_item_has_a_choice_not_extra_items() {
    let Some((_, source)) = seed("002") else {
        return;
    };
    let template = import(&source);
    let decision = item(&template, "Go/No-Go decision");
    assert_eq!(decision.line, 202);
    assert_eq!(decision.choices.len(), 1);
    assert_eq!(decision.choices[0].options, ["GO", "NO-GO"]);
    assert!(
        items(&template)
            .iter()
            .all(|item| item.title != "GO" && item.title != "NO-GO")
    );
}

#[test]
fn write_ins_in_the_blue_green_seed_keep_units_and_labels() {
    let Some((_, source)) = seed("002") else {
        return;
    };
    let template = import(&source);
    let load = item(&template, "Load testing completed");
    let p95 = load
        .fields
        .iter()
        .find(|f| f.label == "Response time P95")
        .expect("P95 field");
    assert_eq!(p95.unit.as_deref(), Some("ms"));
    assert_eq!(load.choices[0].options, ["PASS", "FAIL"]);
    let baseline = item(&template, "Performance metrics within baseline");
    let labels: Vec<&str> = baseline.fields.iter().map(|f| f.label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Response time P95",
            "baseline",
            "CPU usage",
            "baseline",
            "Memory usage",
            "baseline"
        ]
    );
    let metadata: Vec<&str> = template
        .metadata_fields
        .iter()
        .map(|f| f.label.as_str())
        .collect();
    assert_eq!(
        metadata,
        [
            "Deployment Date",
            "Deployment Lead",
            "Deployment Window",
            "Deployment Window (to)"
        ]
    );
    let phase = section(
        &template,
        "Phase 2a: Pre-Deployment System Verification (T+0 to T+5 min)",
    );
    let times: Vec<&str> = phase
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Field(field) => Some(field.label.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(times, ["Current Time", "Expected End Time"]);
}

#[test]
fn code_under_blue_green_items_carries_its_expectations() {
    let Some((_, source)) = seed("002") else {
        return;
    };
    let template = import(&source);
    let redis = item(&template, "Redis connectivity verified");
    assert_eq!(redis.code[0].lang, "bash");
    assert_eq!(redis.code[0].expectations, ["PONG"]);
    assert_eq!(redis.expectations, ["PONG"]);
    assert_eq!(
        item(&template, "RabbitMQ connectivity verified").expectations,
        ["HTTP 200"]
    );
    assert_eq!(template.report.code_blocks, 33);
}

#[test]
fn shell_comments_in_code_fences_never_become_headings() {
    let Some((_, source)) = seed("002") else {
        return;
    };
    let template = import(&source);
    let titles: Vec<&str> = sections(&template)
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert!(!titles.contains(&"Pre-deployment check"));
    assert!(!titles.contains(&"Rollback (emergency)"));
    let commands = section(&template, "Useful Commands");
    assert!(
        matches!(&commands.blocks[..], [Block::Code(code)] if code.code.contains("# Health check"))
    );
}

#[test]
fn the_pre_post_seed_has_thirteen_dated_signatures() {
    let Some((_, source)) = seed("001") else {
        return;
    };
    let template = import(&source);
    let dated: Vec<&str> = signatures(&template)
        .iter()
        .filter(|slot| slot.dated)
        .map(|slot| slot.role.as_str())
        .collect();
    assert_eq!(dated.len(), 13);
    assert_eq!(dated[0], "Lead Developer");
    assert!(
        item(&template, "QA Lead")
            .signature
            .as_ref()
            .is_some_and(|slot| slot.dated)
    );
}

#[test]
fn emoji_in_seed_headings_are_kept_exactly() {
    let Some((_, source)) = seed("001") else {
        return;
    };
    let template = import(&source);
    let titles: Vec<&str> = sections(&template)
        .iter()
        .map(|s| s.title.as_str())
        .collect();
    assert!(titles.contains(&"📋 Pre-Deployment Checklist"));
    assert!(titles.contains(&"🏗️ Infrastructure Readiness"));
    assert!(titles.contains(&"🧑💻 Development Team"));
}

#[test]
fn bold_titles_in_the_staged_seed_split_title_and_detail() {
    let Some((_, source)) = seed("003") else {
        return;
    };
    let template = import(&source);
    let testing = item(&template, "Internal team testing");
    assert_eq!(testing.detail, "(30 minutes)");
    assert_eq!(testing.notes[0], "- Dev team: API testing");
    let tests = item(&template, "All tests passing");
    assert_eq!(tests.expectations, ["100% pass rate on critical paths"]);
    let data = item(&template, "Validate data integrity");
    assert_eq!(data.code[0].lang, "sql");
    let signature_roles: Vec<&str> = signatures(&template)
        .iter()
        .map(|s| s.role.as_str())
        .collect();
    assert_eq!(
        signature_roles,
        ["Deployment Lead", "QA Lead", "Operations Lead"]
    );
}

#[test]
fn signatory_checkboxes_in_the_verification_seed_are_signed_items() {
    let Some((_, source)) = seed("004") else {
        return;
    };
    let template = import(&source);
    let signatories = section(&template, "Signatories");
    let roles: Vec<&str> = signatories
        .blocks
        .iter()
        .filter_map(|block| match block {
            Block::Item(item) => item.signature.as_ref().map(|slot| slot.role.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(
        roles,
        [
            "Technical Lead",
            "Security Lead",
            "Operations Lead",
            "QA Lead",
            "Product Owner",
            "Executive Sponsor"
        ]
    );
}

#[test]
fn every_seed_template_survives_a_json_round_trip() {
    let Some(seeds) = seeds() else { return };
    for (name, source) in &seeds {
        let template = import(source);
        let json = serde_json::to_string(&template).unwrap_or_else(|e| panic!("{name}: {e}"));
        let back: greenlight_core::Template =
            serde_json::from_str(&json).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert_eq!(back, template, "{name}");
    }
}
