//! Template library use-cases: import (versioned by title, deduplicated by content hash),
//! list, fetch, and loading the bundled templates on first start.

use chrono::{DateTime, Utc};
use greenlight_core::run::items_in_order;
use greenlight_core::{Template, import_markdown};
use serde_json::json;
use sqlx::Row;
use sqlx::sqlite::SqliteRow;

use crate::Store;
use crate::audit::{LIBRARY_STREAM, NewEvent, append};
use crate::error::{StoreError, StoreResult};
use crate::time::{format_time, parse_time};
use crate::types::{TemplateDetail, TemplateOrigin, TemplateSummary};

/// A template shipped inside the application.
pub struct BundledTemplate {
    pub file_name: &'static str,
    pub source: &'static str,
}

/// The library key of a template: its title in lowercase words joined by dashes.
pub fn template_key(title: &str) -> String {
    let mut key = String::new();
    for word in title
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !key.is_empty() {
            key.push('-');
        }
        key.extend(word.chars().flat_map(char::to_lowercase));
    }
    if key.is_empty() {
        "untitled".into()
    } else {
        key
    }
}

const SUMMARY_COLUMNS: &str = "id, key, version, title, content_hash, origin, file_name, item_count, imported_at,
     EXISTS (SELECT 1 FROM templates newer WHERE newer.key = templates.key AND newer.version > templates.version) AS superseded";

fn summary_from_row(row: &SqliteRow) -> StoreResult<TemplateSummary> {
    let origin: String = row.try_get("origin")?;
    Ok(TemplateSummary {
        id: row.try_get("id")?,
        key: row.try_get("key")?,
        version: row.try_get("version")?,
        title: row.try_get("title")?,
        content_hash: row.try_get("content_hash")?,
        origin: if origin == "bundled" {
            TemplateOrigin::Bundled
        } else {
            TemplateOrigin::Imported
        },
        file_name: row.try_get("file_name")?,
        item_count: row.try_get("item_count")?,
        imported_at: parse_time(&row.try_get::<String, _>("imported_at")?)?,
        superseded: row.try_get("superseded")?,
    })
}

fn file_stem(file_name: Option<&str>) -> String {
    file_name
        .map(|name| name.rsplit(['/', '\\']).next().unwrap_or(name))
        .map(|name| name.rsplit_once('.').map_or(name, |(stem, _)| stem))
        .filter(|stem| !stem.trim().is_empty())
        .unwrap_or("Untitled checklist")
        .to_string()
}

/// Parses a template without storing anything (the import preview).
pub fn preview(bytes: &[u8], file_name: Option<&str>) -> StoreResult<Template> {
    Ok(import_markdown(bytes, &file_stem(file_name))?)
}

impl Store {
    /// Parses and stores a template. Importing text identical to a stored version of the same
    /// template returns that version; changed text becomes the next version.
    pub async fn import_template(
        &self,
        bytes: &[u8],
        file_name: Option<&str>,
        origin: TemplateOrigin,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<TemplateSummary> {
        let (summary, _created) = self
            .store_template(bytes, file_name, origin, actor, now)
            .await?;
        Ok(summary)
    }

    /// Imports a template; the flag says whether a new version was stored.
    async fn store_template(
        &self,
        bytes: &[u8],
        file_name: Option<&str>,
        origin: TemplateOrigin,
        actor: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<(TemplateSummary, bool)> {
        let template = preview(bytes, file_name)?;
        // The importer has accepted the bytes as UTF-8; store its normalised text.
        let source = normalised_source(bytes);
        let key = template_key(&template.title);
        let mut tx = self.write().await?;
        let version = match stored_version(&mut tx, &key, &template.content_hash).await? {
            Ok(existing) => {
                tx.rollback().await?;
                return Ok((self.template_summary(&existing).await?, false));
            }
            Err(next) => next,
        };
        let id = uuid::Uuid::now_v7().to_string();
        let item_count = items_in_order(&template).len() as i64;
        sqlx::query(
            "INSERT INTO templates (id, key, version, title, source, content_hash, model_json, origin, file_name, item_count, imported_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        )
        .bind(&id)
        .bind(&key)
        .bind(version)
        .bind(&template.title)
        .bind(&source)
        .bind(&template.content_hash)
        .bind(serde_json::to_string(&template)?)
        .bind(origin.as_str())
        .bind(file_name)
        .bind(item_count)
        .bind(format_time(now))
        .execute(&mut *tx)
        .await?;
        log_import(
            &mut tx,
            &id,
            &key,
            version,
            &template.content_hash,
            origin,
            file_name,
            actor,
            now,
        )
        .await?;
        tx.commit().await?;
        tracing::info!(%id, %key, version, items = item_count, "template imported");
        Ok((self.template_summary(&id).await?, true))
    }

    /// Imports every bundled template whose exact text is not in the library yet.
    pub async fn ensure_bundled_templates(
        &self,
        bundled: &[BundledTemplate],
        now: DateTime<Utc>,
    ) -> StoreResult<usize> {
        let mut added = 0;
        for template in bundled {
            let (_, created) = self
                .store_template(
                    template.source.as_bytes(),
                    Some(template.file_name),
                    TemplateOrigin::Bundled,
                    "greenlight",
                    now,
                )
                .await?;
            added += usize::from(created);
        }
        Ok(added)
    }

    /// Every stored template version, newest import first.
    pub async fn list_templates(&self) -> StoreResult<Vec<TemplateSummary>> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM templates ORDER BY title, version DESC");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(summary_from_row).collect()
    }

    pub async fn template_summary(&self, id: &str) -> StoreResult<TemplateSummary> {
        let sql = format!("SELECT {SUMMARY_COLUMNS} FROM templates WHERE id = ?");
        let row = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("template", id))?;
        summary_from_row(&row)
    }

    /// A template with its frozen model (parsed once per template, see `cached_template`) and
    /// its source.
    pub async fn template_detail(&self, id: &str) -> StoreResult<TemplateDetail> {
        let summary = self.template_summary(id).await?;
        let template = self.cached_template(id).await?;
        let source: String = sqlx::query_scalar("SELECT source FROM templates WHERE id = ?")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        Ok(TemplateDetail {
            summary,
            template: (*template).clone(),
            source,
        })
    }

    /// The stored model of a template, with display text derived again for templates stored
    /// before the importer computed it. Callers go through `cached_template`.
    pub(crate) async fn template_model(&self, id: &str) -> StoreResult<Template> {
        let row = sqlx::query("SELECT model_json, source FROM templates WHERE id = ?")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::not_found("template", id))?;
        let model: String = row.try_get("model_json")?;
        let source: String = row.try_get("source")?;
        let template: Template = serde_json::from_str(&model)?;
        Ok(with_display_text(template, &source))
    }
}

impl Store {
    /// The library's audit events (imports, command approvals, ...) in stored order.
    pub async fn library_events(&self) -> StoreResult<Vec<crate::types::AuditEvent>> {
        let mut conn = self.pool.acquire().await?;
        crate::audit::events(&mut conn, LIBRARY_STREAM).await
    }
}

/// The library log's `template_imported` event for a new version.
#[allow(clippy::too_many_arguments)]
async fn log_import(
    conn: &mut sqlx::SqliteConnection,
    id: &str,
    key: &str,
    version: i64,
    content_hash: &str,
    origin: TemplateOrigin,
    file_name: Option<&str>,
    actor: &str,
    now: DateTime<Utc>,
) -> StoreResult<()> {
    append(
        conn,
        NewEvent {
            stream: LIBRARY_STREAM,
            kind: "template_imported",
            element_id: None,
            payload: json!({
                "template_id": id, "key": key, "version": version,
                "content_hash": content_hash, "origin": origin.as_str(),
                "file_name": file_name,
            }),
            actor,
            at: now,
        },
    )
    .await?;
    Ok(())
}

/// The id of the stored version with this exact text (`Ok`), or the next version number (`Err`).
async fn stored_version(
    conn: &mut sqlx::SqliteConnection,
    key: &str,
    content_hash: &str,
) -> StoreResult<Result<String, i64>> {
    let existing: Option<String> =
        sqlx::query_scalar("SELECT id FROM templates WHERE key = ? AND content_hash = ?")
            .bind(key)
            .bind(content_hash)
            .fetch_optional(&mut *conn)
            .await?;
    if let Some(id) = existing {
        return Ok(Ok(id));
    }
    let next: i64 =
        sqlx::query_scalar("SELECT COALESCE(MAX(version), 0) + 1 FROM templates WHERE key = ?")
            .bind(key)
            .fetch_one(&mut *conn)
            .await?;
    Ok(Err(next))
}

/// Templates stored before the importer computed display text carry none: their sections are
/// read again from the stored source, and used only when the fresh parse has the same content
/// hash and exactly the same element ids in the same order (items, fields, choices, gates,
/// signature slots), so every element a run recorded against is still the one it pinned.
fn with_display_text(template: Template, source: &str) -> Template {
    let items = greenlight_core::run::items_in_order(&template);
    let lacks_display = items
        .iter()
        .any(|item| item.display_title.is_empty() && !item.title.is_empty());
    if !lacks_display {
        return template;
    }
    let Ok(fresh) = greenlight_core::import_markdown(source.as_bytes(), &template.title) else {
        return template;
    };
    let ids = |t: &Template| {
        let mut ids = Vec::new();
        collect_ids(
            &serde_json::to_value(&t.sections).unwrap_or_default(),
            &mut ids,
        );
        ids
    };
    if fresh.content_hash != template.content_hash || ids(&fresh) != ids(&template) {
        return template;
    }
    Template {
        sections: fresh.sections,
        description_lines: fresh.description_lines,
        ..template
    }
}

/// Every `"id"` string in a model's JSON, in document order.
fn collect_ids(value: &serde_json::Value, ids: &mut Vec<String>) {
    match value {
        serde_json::Value::Object(map) => {
            if let Some(serde_json::Value::String(id)) = map.get("id") {
                ids.push(id.clone());
            }
            map.values().for_each(|v| collect_ids(v, ids));
        }
        serde_json::Value::Array(list) => list.iter().for_each(|v| collect_ids(v, ids)),
        _ => {}
    }
}

/// The text the importer hashed: BOM removed, line endings as LF.
fn normalised_source(bytes: &[u8]) -> String {
    let text = String::from_utf8_lossy(bytes);
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text);
    text.replace("\r\n", "\n").replace('\r', "\n")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_lowercase_words_joined_by_dashes() {
        assert_eq!(
            template_key("Blue/Green Release — v2.1"),
            "blue-green-release-v2-1"
        );
        assert_eq!(template_key("  ✓ "), "untitled");
        assert_eq!(template_key("Überprüfung"), "überprüfung");
    }

    #[test]
    fn a_file_name_becomes_the_fallback_title() {
        assert_eq!(file_stem(Some("/tmp/x/release-plan.md")), "release-plan");
        assert_eq!(file_stem(Some("C:\\a\\b.txt")), "b");
        assert_eq!(file_stem(None), "Untitled checklist");
    }
}
