//! The JPEG container, read without decoding: the markers before the image data give the size
//! and the EXIF block; removing the metadata segments is lossless (the image data is copied
//! as it is).

use std::io::{Read, Seek};
use std::ops::Range;

/// One marker segment before the image data: its marker byte and where it lies in the file,
/// from its `FF` to the end of its payload.
#[derive(Debug, Clone)]
pub struct Segment {
    pub marker: u8,
    pub span: Range<usize>,
    /// The payload, after the two length bytes.
    pub payload: Range<usize>,
}

/// What the markers before the image data say.
#[derive(Debug, Clone)]
pub struct Layout {
    pub segments: Vec<Segment>,
    /// Stored width and height in pixels (from the frame header).
    pub size: (u32, u32),
    /// Where the scan (`FF DA`) starts: everything from here on is kept as it is.
    pub scan: usize,
}

const SOI: u8 = 0xD8;
const SOS: u8 = 0xDA;
const EOI: u8 = 0xD9;
/// EXIF and XMP (either can hold GPS coordinates).
pub const APP1: u8 = 0xE1;
/// Photoshop IRB / IPTC (can hold place names).
pub const APP13: u8 = 0xED;

/// Walks the segments of a JPEG up to its scan. `None` when the bytes are no JPEG, or end
/// before a frame header and a scan.
pub fn layout(bytes: &[u8]) -> Option<Layout> {
    if bytes.get(..2)? != [0xFF, SOI] {
        return None;
    }
    let mut at = 2;
    let mut segments = Vec::new();
    let mut size = None;
    loop {
        // Markers may be preceded by any number of fill bytes `FF`.
        while bytes.get(at)? == &0xFF && bytes.get(at + 1)? == &0xFF {
            at += 1;
        }
        if bytes.get(at)? != &0xFF {
            return None;
        }
        let marker = *bytes.get(at + 1)?;
        if marker == SOS {
            return Some(Layout {
                segments,
                size: size?,
                scan: at,
            });
        }
        if marker == EOI {
            return None;
        }
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            at += 2;
            continue;
        }
        let len = u16::from_be_bytes([*bytes.get(at + 2)?, *bytes.get(at + 3)?]) as usize;
        if len < 2 || at + 2 + len > bytes.len() {
            return None;
        }
        let payload = at + 4..at + 2 + len;
        if is_frame_header(marker) {
            let p = bytes.get(payload.clone())?;
            let height = u16::from_be_bytes([*p.get(1)?, *p.get(2)?]) as u32;
            let width = u16::from_be_bytes([*p.get(3)?, *p.get(4)?]) as u32;
            size = Some((width, height));
        }
        segments.push(Segment {
            marker,
            span: at..payload.end,
            payload,
        });
        at += 2 + len;
    }
}

/// Reads a JPEG's segments up to its scan from `r`, seeking over the payloads it does not need:
/// what it returns is a JPEG head (start, frame header, EXIF/XMP segments, an empty IPTC
/// segment if there was one, and the scan marker) that [`layout`] reads as it would the whole
/// file, for a few kilobytes read instead of megabytes. `None` when the bytes are no JPEG.
pub fn read_head(r: &mut (impl Read + Seek)) -> std::io::Result<Option<Vec<u8>>> {
    match read_head_inner(r) {
        Err(e) if e.kind() == std::io::ErrorKind::UnexpectedEof => Ok(None),
        other => other,
    }
}

fn read_head_inner(r: &mut (impl Read + Seek)) -> std::io::Result<Option<Vec<u8>>> {
    let mut two = [0u8; 2];
    r.read_exact(&mut two)?;
    if two != [0xFF, SOI] {
        return Ok(None);
    }
    let mut out = two.to_vec();
    loop {
        r.read_exact(&mut two)?;
        if two[0] != 0xFF {
            return Ok(None);
        }
        let mut marker = two[1];
        while marker == 0xFF {
            r.read_exact(&mut two[..1])?;
            marker = two[0];
        }
        match marker {
            SOS => {
                out.extend([0xFF, SOS, 0, 2]);
                return Ok(Some(out));
            }
            EOI => return Ok(None),
            0xD0..=0xD7 | 0x01 => continue,
            _ => {}
        }
        r.read_exact(&mut two)?;
        let len = u16::from_be_bytes(two);
        if len < 2 {
            return Ok(None);
        }
        if marker == APP1 || is_frame_header(marker) {
            let mut payload = vec![0u8; len as usize - 2];
            r.read_exact(&mut payload)?;
            out.extend([0xFF, marker]);
            out.extend(len.to_be_bytes());
            out.extend(payload);
        } else {
            if marker == APP13 {
                out.extend([0xFF, APP13, 0, 2]);
            }
            r.seek_relative(i64::from(len) - 2)?;
        }
    }
}

/// SOF0–SOF15, except DHT, JPG and DAC, which share the range.
fn is_frame_header(marker: u8) -> bool {
    (0xC0..=0xCF).contains(&marker) && !matches!(marker, 0xC4 | 0xC8 | 0xCC)
}

/// The TIFF block of the first EXIF segment (`Exif\0\0` + TIFF), if any.
pub fn exif_block<'b>(bytes: &'b [u8], layout: &Layout) -> Option<&'b [u8]> {
    layout
        .segments
        .iter()
        .filter(|s| s.marker == APP1)
        .map(|s| &bytes[s.payload.clone()])
        .find_map(|p| p.strip_prefix(b"Exif\0\0"))
}

/// The colour profile (ICC) a JPEG carries in its APP2 segments, its chunks joined in order.
/// Phones shoot in Display P3: without its profile a photo encoded again looks washed out.
pub fn icc_profile(bytes: &[u8], layout: &Layout) -> Option<Vec<u8>> {
    let mut chunks: Vec<(u8, &[u8])> = layout
        .segments
        .iter()
        .filter(|s| s.marker == 0xE2)
        .filter_map(|s| {
            let p = bytes[s.payload.clone()].strip_prefix(b"ICC_PROFILE\0")?;
            Some((*p.first()?, p.get(2..)?))
        })
        .collect();
    if chunks.is_empty() {
        return None;
    }
    chunks.sort_by_key(|(seq, _)| *seq);
    Some(
        chunks
            .into_iter()
            .flat_map(|(_, data)| data.iter().copied())
            .collect(),
    )
}

/// Whether any segment holds metadata that can tell where a photo was taken.
pub fn has_metadata(layout: &Layout) -> bool {
    layout
        .segments
        .iter()
        .any(|s| matches!(s.marker, APP1 | APP13))
}

/// The same JPEG without its metadata segments (EXIF, XMP, IPTC): the image data, tables and
/// colour profile are copied byte for byte.
pub fn without_metadata(bytes: &[u8], layout: &Layout) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len());
    out.extend_from_slice(&bytes[..2]);
    for s in &layout.segments {
        if !matches!(s.marker, APP1 | APP13) {
            out.extend_from_slice(&bytes[s.span.clone()]);
        }
    }
    out.extend_from_slice(&bytes[layout.scan..]);
    out
}

/// The EXIF orientation (1–8) in a TIFF block; 1 when absent or unreadable.
pub fn orientation(tiff: &[u8]) -> u8 {
    let Ok(exif) = exif::Reader::new().read_raw(tiff.to_vec()) else {
        return 1;
    };
    exif.get_field(exif::Tag::Orientation, exif::In::PRIMARY)
        .and_then(|f| f.value.get_uint(0))
        .filter(|o| (1..=8).contains(o))
        .map_or(1, |o| o as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// SOI, an APP1, a frame header of 3×2, a scan and EOI.
    fn tiny() -> Vec<u8> {
        let mut b = vec![0xFF, SOI];
        b.extend([0xFF, APP1, 0, 8]);
        b.extend(b"Exif\0\0");
        b.extend([0xFF, 0xC0, 0, 11, 8, 0, 2, 0, 3, 1, 1, 0x11, 0]);
        b.extend([0xFF, SOS, 0, 2, 0x12, 0x34, 0xFF, EOI]);
        b
    }

    #[test]
    fn reads_the_size_and_strips_app1_losslessly() {
        let b = tiny();
        let l = layout(&b).unwrap();
        assert_eq!(l.size, (3, 2));
        assert!(has_metadata(&l));
        assert_eq!(exif_block(&b, &l), Some(&[][..]));
        let stripped = without_metadata(&b, &l);
        assert_eq!(stripped.len(), b.len() - 10);
        let l2 = layout(&stripped).unwrap();
        assert!(!has_metadata(&l2));
        assert_eq!(l2.size, (3, 2));
        assert!(stripped.ends_with(&[0xFF, SOS, 0, 2, 0x12, 0x34, 0xFF, EOI]));
    }

    #[test]
    fn the_head_read_from_a_file_reads_as_the_file() {
        let mut b = tiny();
        // An ICC segment the head leaves out, and an IPTC one it keeps empty.
        let icc = [0xFF, 0xE2, 0, 6, 1, 2, 3, 4];
        let iptc = [0xFF, APP13, 0, 4, 9, 9];
        b.splice(2..2, icc.iter().chain(&iptc).copied());
        let head = read_head(&mut std::io::Cursor::new(&b)).unwrap().unwrap();
        let (full, short) = (layout(&b).unwrap(), layout(&head).unwrap());
        assert_eq!(full.size, short.size);
        assert_eq!(exif_block(&b, &full), exif_block(&head, &short));
        assert!(has_metadata(&short));
        assert!(head.len() < b.len());
        for cut in [1, 5, 12, 30] {
            let mut r = std::io::Cursor::new(&b[..cut]);
            assert_eq!(read_head(&mut r).unwrap(), None, "{cut}");
        }
    }

    #[test]
    fn the_colour_profile_is_joined_from_its_chunks_in_order() {
        let mut b = tiny();
        let chunk = |seq: u8, data: &[u8]| {
            let mut s = vec![0xFF, 0xE2, 0, (2 + 14 + data.len()) as u8];
            s.extend(b"ICC_PROFILE\0");
            s.extend([seq, 2]);
            s.extend(data);
            s
        };
        let segments: Vec<u8> = [chunk(2, b"second"), chunk(1, b"first-")].concat();
        b.splice(2..2, segments);
        let l = layout(&b).unwrap();
        assert_eq!(icc_profile(&b, &l).as_deref(), Some(&b"first-second"[..]));
        assert_eq!(icc_profile(&tiny(), &layout(&tiny()).unwrap()), None);
    }

    #[test]
    fn truncated_or_foreign_bytes_are_no_jpeg() {
        let b = tiny();
        for cut in [0, 1, 3, 7, 20, 25] {
            assert!(layout(&b[..cut]).is_none(), "{cut}");
        }
        assert!(layout(b"\x89PNG\r\n\x1a\n").is_none());
    }
}
