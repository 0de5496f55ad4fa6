//! A small real PDF (one A4 page, Helvetica) built with the `lopdf` crate: what the mock's
//! protected invoice link returns, so a person can open it in a PDF viewer.

use lopdf::content::{Content, Operation};
use lopdf::{dictionary, Document, Object, Stream};

/// One text line: font size, x, y (PDF points from the bottom-left corner), text.
type Line<'a> = (i64, i64, i64, &'a str);

/// The invoice `id` of `name <email>` as a one-page PDF.
///
/// The text is written with the standard Helvetica font in WinAnsi encoding, so characters
/// outside Latin-1 are replaced by `?`.
pub fn invoice(id: &str, name: &str, email: &str) -> Result<Vec<u8>, lopdf::Error> {
    let title = format!("Invoice {id} for {email}");
    let billed = format!("Billed to: {name} <{email}>");
    let lines: [Line; 4] = [
        (22, 72, 760, &title),
        (12, 72, 730, &billed),
        (12, 72, 712, "Item: Hot desk, one month - 1 x 250.00 EUR"),
        (
            10,
            72,
            680,
            "Issued by the nexudus-mock server for the demo; not a real invoice.",
        ),
    ];
    let mut ops = vec![Operation::new("BT", vec![])];
    for (size, x, y, text) in lines {
        ops.push(Operation::new("Tf", vec!["F1".into(), size.into()]));
        // Td moves relative to the previous line start; set an absolute matrix instead.
        let matrix = vec![1.into(), 0.into(), 0.into(), 1.into(), x.into(), y.into()];
        ops.push(Operation::new("Tm", matrix));
        ops.push(Operation::new(
            "Tj",
            vec![Object::string_literal(latin1(text))],
        ));
    }
    ops.push(Operation::new("ET", vec![]));
    let content = Content { operations: ops }.encode()?;

    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
        "Encoding" => "WinAnsiEncoding",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let content_id = doc.add_object(Stream::new(dictionary! {}, content));
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
            "Resources" => resources_id,
            "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        }),
    );
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
    });
    doc.trailer.set("Root", catalog_id);
    doc.compress();
    let mut out = Vec::new();
    doc.save_to(&mut out)?;
    Ok(out)
}

/// Latin-1 bytes of `text` (what WinAnsi shows for ASCII and most of U+00A0..U+00FF).
fn latin1(text: &str) -> Vec<u8> {
    text.chars()
        .map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?'))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_real_pdf_with_the_text() {
        let bytes = invoice("42", "Alice Martin", "alice@example.com").unwrap();
        assert!(bytes.starts_with(b"%PDF-1.5"));
        let doc = Document::load_mem(&bytes).unwrap();
        assert_eq!(doc.get_pages().len(), 1);
        let text = doc.extract_text(&[1]).unwrap();
        assert!(text.contains("Invoice 42 for alice@example.com"), "{text}");
        assert_eq!(latin1("Zoë ✓"), b"Zo\xeb ?");
    }
}
