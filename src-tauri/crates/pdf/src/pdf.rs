//! Turns laid-out pages into PDF bytes with printpdf: ops per page, embedded subset fonts,
//! document metadata, and a fixed trailer `/ID` so equal input gives equal bytes.

use chrono::{DateTime, Utc};
use printpdf::{
    Color, FontId, Line, LineCapStyle, LineJoinStyle, LinePoint, Mm, Op, PaintMode, PdfDocument,
    PdfFont, PdfFontHandle, PdfPage, PdfSaveOptions, Point, Pt, Rect, Rgb, TextItem,
};

use crate::PdfError;
use crate::fallback::printable;
use crate::fonts::{Face, FontCoverage, Fonts};
use crate::layout::Draw;
use crate::style::{Colour, Geometry};

/// What goes into the document information dictionary.
pub(crate) struct DocMeta<'a> {
    pub title: &'a str,
    pub author: &'a str,
    pub subject: &'a str,
    pub keywords: Vec<String>,
    pub printed_at: DateTime<Utc>,
    pub document_id: &'a str,
}

fn rgb(colour: Colour) -> Color {
    Color::Rgb(Rgb {
        r: colour.0,
        g: colour.1,
        b: colour.2,
        icc_profile: None,
    })
}

fn font_id(face: Face) -> FontId {
    FontId(face.resource_name().to_string())
}

/// Converts one page's primitives (top-left origin) into printpdf ops (bottom-left origin).
fn page_ops(draws: Vec<Draw>, page_height: f32) -> Vec<Op> {
    let mut ops = vec![
        Op::SetLineCapStyle {
            cap: LineCapStyle::Round,
        },
        Op::SetLineJoinStyle {
            join: LineJoinStyle::Round,
        },
    ];
    let mut fill: Option<Colour> = None;
    let mut stroke: Option<(Colour, f32)> = None;
    let flip = |y: f32| Pt(page_height - y);
    for draw in draws {
        match draw {
            Draw::Text {
                x,
                y,
                face,
                size,
                colour,
                text,
            } => {
                let text = printable(&text, &FontCoverage::of(face)).into_owned();
                if text.trim().is_empty() {
                    continue;
                }
                if fill != Some(colour) {
                    ops.push(Op::SetFillColor { col: rgb(colour) });
                    fill = Some(colour);
                }
                ops.push(Op::StartTextSection);
                ops.push(Op::SetFont {
                    font: PdfFontHandle::External(font_id(face)),
                    size: Pt(size),
                });
                ops.push(Op::SetTextCursor {
                    pos: Point {
                        x: Pt(x),
                        y: flip(y),
                    },
                });
                ops.push(Op::ShowText {
                    items: vec![TextItem::Text(text)],
                });
                ops.push(Op::EndTextSection);
            }
            Draw::Rect {
                x,
                y,
                w,
                h,
                stroke: outline,
                fill: paint,
            } => {
                if let Some(colour) = paint
                    && fill != Some(colour)
                {
                    ops.push(Op::SetFillColor { col: rgb(colour) });
                    fill = Some(colour);
                }
                if let Some(pen) = outline {
                    set_stroke(&mut ops, &mut stroke, pen);
                }
                let mode = match (outline.is_some(), paint.is_some()) {
                    (true, true) => PaintMode::FillStroke,
                    (true, false) => PaintMode::Stroke,
                    (false, _) => PaintMode::Fill,
                };
                ops.push(Op::DrawRectangle {
                    rectangle: Rect {
                        x: Pt(x),
                        y: flip(y + h),
                        width: Pt(w),
                        height: Pt(h),
                        mode: Some(mode),
                        winding_order: None,
                    },
                });
            }
            Draw::Line {
                points,
                width,
                colour,
            } => {
                if points.len() < 2 {
                    continue;
                }
                set_stroke(&mut ops, &mut stroke, (colour, width));
                let points = points
                    .into_iter()
                    .map(|(x, y)| LinePoint {
                        p: Point {
                            x: Pt(x),
                            y: flip(y),
                        },
                        bezier: false,
                    })
                    .collect();
                ops.push(Op::DrawLine {
                    line: Line {
                        points,
                        is_closed: false,
                    },
                });
            }
        }
    }
    ops
}

fn set_stroke(ops: &mut Vec<Op>, current: &mut Option<(Colour, f32)>, pen: (Colour, f32)) {
    let (colour, width) = pen;
    if current.map(|c| c.0) != Some(colour) {
        ops.push(Op::SetOutlineColor { col: rgb(colour) });
    }
    if current.map(|c| c.1) != Some(width) {
        ops.push(Op::SetOutlineThickness { pt: Pt(width) });
    }
    *current = Some(pen);
}

fn pdf_date(at: DateTime<Utc>) -> Result<printpdf::OffsetDateTime, PdfError> {
    printpdf::OffsetDateTime::from_unix_timestamp(at.timestamp())
        .map_err(|why| PdfError::InvalidOption(format!("printed_at {at}: {why}")))
}

/// Assembles and serialises the document.
pub(crate) fn write_pdf(
    fonts: &Fonts,
    pages: Vec<Vec<Draw>>,
    geometry: Geometry,
    meta: &DocMeta<'_>,
) -> Result<Vec<u8>, PdfError> {
    let mut doc = PdfDocument::new(meta.title);
    let date = pdf_date(meta.printed_at)?;
    let info = &mut doc.metadata.info;
    info.author = meta.author.to_string();
    info.creator = "Greenlight".to_string();
    info.producer = "Greenlight PDF export (printpdf 0.12)".to_string();
    info.subject = meta.subject.to_string();
    info.keywords = meta.keywords.clone();
    info.identifier = meta.document_id.to_string();
    info.creation_date = date;
    info.modification_date = date;
    info.metadata_date = date;
    for face in Face::ALL {
        let font = PdfFont::new(fonts.face(face).parsed.clone());
        doc.resources.fonts.map.insert(font_id(face), font);
    }
    let to_mm = |pt: f32| Mm(pt * 25.4 / 72.0);
    doc.pages = pages
        .into_iter()
        .map(|draws| {
            PdfPage::new(
                to_mm(geometry.width),
                to_mm(geometry.height),
                page_ops(draws, geometry.height),
            )
        })
        .collect();

    let mut warnings = Vec::new();
    let mut lo = printpdf::serialize::to_lopdf_doc(&doc, &PdfSaveOptions::default(), &mut warnings);
    // printpdf writes a random /ID; records are hashed, so use the caller's document id instead.
    let id = lopdf::Object::String(
        meta.document_id.as_bytes().to_vec(),
        lopdf::StringFormat::Literal,
    );
    lo.trailer
        .set("ID", lopdf::Object::Array(vec![id.clone(), id]));
    drop_conformance_claims(&mut lo);
    lo.compress();
    let mut bytes = Vec::new();
    lo.save_to(&mut bytes).map_err(PdfError::Write)?;
    Ok(bytes)
}

/// printpdf writes an empty `/GTS_PDFXVersion` into the document info, which readers take as a
/// PDF/X claim. Greenlight makes no conformance claim, so the key is removed.
fn drop_conformance_claims(doc: &mut lopdf::Document) {
    let Ok(info) = doc
        .trailer
        .get(b"Info")
        .and_then(lopdf::Object::as_reference)
    else {
        return;
    };
    if let Ok(dict) = doc
        .get_object_mut(info)
        .and_then(lopdf::Object::as_dict_mut)
    {
        dict.remove(b"GTS_PDFXVersion");
    }
}
