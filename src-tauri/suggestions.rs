//! Adding a probe suggestion to its template: the suggestion is recomputed from the stored
//! template (never taken from the caller), its block is written into the stored source under the
//! item, and the result goes through the normal import as the template's next version.

use greenlight_core::run::items_in_order;
use greenlight_core::{CodeBlock, Item};
use greenlight_store::TemplateSummary;

use crate::api_error::{ApiError, Code};

use crate::app::{ApiResult, App};
use crate::probing::{self, ProbeSuggestion};

/// Where a probe block goes in the source.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Anchor {
    /// After the fenced snippet whose opening fence is on this 1-based line, at that fence's
    /// indentation.
    AfterFence(u32),
    /// After the first paragraph of the list item on this 1-based line, at its content column
    /// (for suggestions read from the item's wording, which have no snippet).
    AfterItemText(u32),
}

fn error(code: Code, message: String) -> ApiError {
    ApiError::new(code, message)
}

/// Creates the next version of `template_id` with the suggestion (item, source line, kind) added
/// as a probe block under its item; returns the new version.
pub async fn add_suggested_probe(
    app: &App,
    template_id: &str,
    item_id: &str,
    source_line: u32,
    kind: &str,
) -> ApiResult<TemplateSummary> {
    let detail = app.get_template(template_id).await?;
    if detail.summary.superseded {
        return Err(error(
            Code::TemplateSuperseded,
            format!(
                "a newer version of “{}” exists: open it and add the probe there, so its changes are kept",
                detail.summary.title
            ),
        ));
    }
    let not_found = || {
        error(
            Code::SuggestionNotFound,
            "this suggestion is no longer offered for this template version: reopen the template and try again".into(),
        )
    };
    let suggestion = probing::template_suggestions(&detail.template)
        .into_iter()
        .find(|s| s.item_id == item_id && s.source_line == source_line && s.kind == kind)
        .ok_or_else(not_found)?;
    let item = items_in_order(&detail.template)
        .into_iter()
        .find(|i| i.id == item_id)
        .ok_or_else(not_found)?;
    refuse_inline_secrets(app, &suggestion).await?;
    let anchor = anchor_for(item, source_line).ok_or_else(|| {
        error(
            Code::SuggestionNotInsertable,
            format!(
                "line {source_line} is not in a fenced snippet of this item: copy the block and paste it by hand"
            ),
        )
    })?;
    let source = insert_probe_block(&detail.source, anchor, &suggestion.spec_toml).ok_or_else(|| {
        error(
            Code::SuggestionNotInsertable,
            "the snippet's place in the template could not be found: copy the block and paste it by hand".into(),
        )
    })?;
    app.import_template(source.as_bytes(), detail.summary.file_name.as_deref())
        .await
}

/// A suggestion read from a snippet that spells out a secret is added only once every credential
/// it names is stored (the block refers to the credential by name; until it exists the probe
/// cannot run, and the user should move the secret out of the snippet first).
async fn refuse_inline_secrets(app: &App, suggestion: &ProbeSuggestion) -> ApiResult<()> {
    if suggestion.inline_credentials.is_empty() {
        return Ok(());
    }
    let stored = app.list_credentials().await?;
    let missing: Vec<&str> = suggestion
        .inline_credentials
        .iter()
        .map(|c| c.suggested_name.as_str())
        .filter(|name| !stored.iter().any(|s| s.name == *name))
        .collect();
    if missing.is_empty() {
        return Ok(());
    }
    let lines: Vec<String> = suggestion
        .inline_credentials
        .iter()
        .map(|c| c.line.to_string())
        .collect();
    Err(error(
        Code::SuggestionHasInlineSecret,
        format!(
            "line {} of the snippet spells out a secret: store it in the keychain as “{}” first (and remove it from the template), then add the probe",
            lines.join(", "),
            missing.join("”, “")
        ),
    ))
}

/// The snippet `source_line` was read from (the fenced block whose lines contain it), or the item
/// itself when the suggestion came from its wording.
fn anchor_for(item: &Item, source_line: u32) -> Option<Anchor> {
    if source_line == item.line {
        return Some(Anchor::AfterItemText(item.line));
    }
    item.code
        .iter()
        .filter(|b: &&CodeBlock| !b.lang.eq_ignore_ascii_case("probe") && b.line < source_line)
        .max_by_key(|b| b.line)
        .map(|b| Anchor::AfterFence(b.line))
}

/// `source` with a fenced `probe` block holding `spec_toml` inserted at `anchor`, in the
/// source's own line endings; None when the anchor is not where it should be (no fence on that
/// line, an unclosed fence, no list item).
pub fn insert_probe_block(source: &str, anchor: Anchor, spec_toml: &str) -> Option<String> {
    let lines: Vec<&str> = source.split_inclusive('\n').collect();
    let eol = if source.contains("\r\n") {
        "\r\n"
    } else {
        "\n"
    };
    let (insert_at, indent) = match anchor {
        Anchor::AfterFence(line) => after_fence(&lines, line)?,
        Anchor::AfterItemText(line) => after_item_text(&lines, line)?,
    };
    let longest_run = spec_toml
        .split(|c| c != '`')
        .map(str::len)
        .max()
        .unwrap_or(0);
    let fence = "`".repeat((longest_run + 1).max(3));
    let mut block = format!("{indent}{fence}probe{eol}");
    for line in spec_toml.trim_end().lines() {
        if line.trim().is_empty() {
            block.push_str(eol);
        } else {
            block.push_str(&format!("{indent}{line}{eol}"));
        }
    }
    block.push_str(&format!("{indent}{fence}{eol}"));

    let mut out = String::with_capacity(source.len() + block.len() + 2);
    for line in &lines[..insert_at] {
        out.push_str(line);
    }
    if !out.is_empty() && !out.ends_with('\n') {
        out.push_str(eol);
    }
    out.push_str(&block);
    for line in &lines[insert_at..] {
        out.push_str(line);
    }
    Some(out)
}

fn leading_ws(line: &str) -> &str {
    &line[..line.len() - line.trim_start_matches([' ', '\t']).len()]
}

/// The index after the closing fence of the block opened on 1-based `line`, and that fence's
/// indentation.
fn after_fence(lines: &[&str], line: u32) -> Option<(usize, String)> {
    let open = *lines.get((line as usize).checked_sub(1)?)?;
    let indent = leading_ws(open);
    let marker = open[indent.len()..].chars().next()?;
    if marker != '`' && marker != '~' {
        return None;
    }
    let width = open[indent.len()..]
        .chars()
        .take_while(|c| *c == marker)
        .count();
    if width < 3 {
        return None;
    }
    let close = lines[line as usize..].iter().position(|l| {
        let t = l.trim();
        t.len() >= width && t.chars().all(|c| c == marker)
    })?;
    Some((line as usize + close + 1, indent.to_string()))
}

/// The width of a list marker with its checkbox-free spacing (`- `, `12. `), if `text` starts
/// with one.
fn list_marker(text: &str) -> Option<usize> {
    let digits = text.chars().take_while(char::is_ascii_digit).count();
    let marker = if digits > 0 {
        match text[digits..].chars().next()? {
            '.' | ')' => digits + 1,
            _ => return None,
        }
    } else if text.starts_with(['-', '*', '+']) {
        1
    } else {
        return None;
    };
    let spaces = text[marker..].chars().take_while(|c| *c == ' ').count();
    (spaces >= 1 || text.len() == marker).then_some(marker + spaces.clamp(1, 4))
}

/// The index after the first paragraph of the list item on 1-based `line`, and its content
/// column as spaces.
fn after_item_text(lines: &[&str], line: u32) -> Option<(usize, String)> {
    let first = *lines.get((line as usize).checked_sub(1)?)?;
    let indent = leading_ws(first);
    let marker = list_marker(&first[indent.len()..])?;
    let column = indent
        .chars()
        .map(|c| if c == '\t' { 4 } else { 1 })
        .sum::<usize>()
        + marker;
    let end = lines[line as usize..]
        .iter()
        .position(|l| {
            let t = l.trim_start();
            t.trim().is_empty()
                || list_marker(t).is_some()
                || t.starts_with("```")
                || t.starts_with("~~~")
                || t.starts_with('#')
                || t.starts_with('>')
        })
        .map_or(lines.len(), |p| line as usize + p);
    Some((end, " ".repeat(column)))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SPEC: &str = "kind = \"http\"\nurl = \"https://api.example.test/health\"\n";

    #[test]
    fn a_block_goes_right_after_the_snippet_at_its_fence_indentation() {
        let source = "# T\n\n- [ ] API up\n  ```bash\n  curl -s https://api.example.test/health\n  ```\n- [ ] Next\n";
        let out = insert_probe_block(source, Anchor::AfterFence(4), SPEC).unwrap();
        assert_eq!(
            out,
            "# T\n\n- [ ] API up\n  ```bash\n  curl -s https://api.example.test/health\n  ```\n  ```probe\n  kind = \"http\"\n  url = \"https://api.example.test/health\"\n  ```\n- [ ] Next\n"
        );
    }

    #[test]
    fn a_crlf_source_stays_crlf() {
        let source = "- [ ] API up\r\n  ```bash\r\n  curl x\r\n  ```\r\n- [ ] Next\r\n";
        let out = insert_probe_block(source, Anchor::AfterFence(2), SPEC).unwrap();
        assert_eq!(out.matches("\r\n").count(), out.matches('\n').count());
        assert!(out.contains("  ```\r\n  ```probe\r\n  kind = \"http\"\r\n"));
        assert!(out.ends_with("  ```\r\n- [ ] Next\r\n"));
    }

    #[test]
    fn a_snippet_at_the_end_of_the_file_without_a_final_newline_gets_the_block_after_it() {
        let source = "- [ ] API up\n  ```bash\n  curl x\n  ```";
        let out = insert_probe_block(source, Anchor::AfterFence(2), SPEC).unwrap();
        assert!(out.starts_with("- [ ] API up\n  ```bash\n  curl x\n  ```\n  ```probe\n"));
        assert!(out.ends_with("  url = \"https://api.example.test/health\"\n  ```\n"));
    }

    #[test]
    fn a_nested_item_keeps_its_deeper_indentation_and_a_longer_fence_closes_only_its_own_block() {
        let source =
            "- [ ] Parent\n  - [ ] Child\n    ````sh\n    echo ```\n    ````\n  - [ ] Sibling\n";
        let out = insert_probe_block(source, Anchor::AfterFence(3), SPEC).unwrap();
        assert_eq!(
            out,
            "- [ ] Parent\n  - [ ] Child\n    ````sh\n    echo ```\n    ````\n    ```probe\n    kind = \"http\"\n    url = \"https://api.example.test/health\"\n    ```\n  - [ ] Sibling\n"
        );
    }

    #[test]
    fn backticks_in_the_spec_get_a_longer_fence() {
        let out = insert_probe_block(
            "- [ ] A\n  ```\n  x\n  ```\n",
            Anchor::AfterFence(2),
            "q = \"```\"",
        )
        .unwrap();
        assert!(out.contains("  ````probe\n  q = \"```\"\n  ````\n"));
    }

    #[test]
    fn a_wording_suggestion_goes_after_the_items_paragraph_at_its_content_column() {
        let source = "1. [ ] Certificates valid for\n   30 days or more\n   - note\n2. [ ] Next\n";
        let out = insert_probe_block(source, Anchor::AfterItemText(1), SPEC).unwrap();
        assert_eq!(
            out,
            "1. [ ] Certificates valid for\n   30 days or more\n   ```probe\n   kind = \"http\"\n   url = \"https://api.example.test/health\"\n   ```\n   - note\n2. [ ] Next\n"
        );
    }

    #[test]
    fn a_line_that_is_not_a_fence_or_an_unclosed_fence_is_refused() {
        let source = "- [ ] A\n  ```bash\n  curl x\n";
        assert_eq!(
            insert_probe_block(source, Anchor::AfterFence(1), SPEC),
            None
        );
        assert_eq!(
            insert_probe_block(source, Anchor::AfterFence(2), SPEC),
            None
        );
        assert_eq!(
            insert_probe_block(source, Anchor::AfterFence(9), SPEC),
            None
        );
        assert_eq!(
            insert_probe_block("text\n", Anchor::AfterItemText(1), SPEC),
            None
        );
    }
}
