//! One image: its header (size, orientation, metadata) read without decoding, the size it is
//! published at, and the published bytes — copied as they are when nothing needs doing, the
//! metadata segments cut out when only they must go, else decoded, scaled (Lanczos3), turned
//! upright and encoded again without any EXIF.

use std::borrow::Cow;

use fast_image_resize as fr;
use image::{DynamicImage, ImageFormat};

use super::jpeg;

/// Width in pixels of the thumbnails made for covers (lists and the picture grid).
pub const THUMB_WIDTH: u32 = 480;
/// Quality of re-encoded JPEGs (1–100).
pub const JPEG_QUALITY: u8 = 85;
/// Quality of JPEG thumbnails.
pub const THUMB_QUALITY: u8 = 80;

/// Width and height in pixels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Size {
    pub width: u32,
    pub height: u32,
}

/// The formats whose size is read: JPEG and PNG are processed, SVG is copied as it is (its
/// size is that of its root element); any other file is copied as it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Jpeg,
    Png,
    Svg,
}

impl Kind {
    /// By the file name's extension (`.jpg`, `.jpeg`, `.png`, any case).
    pub fn of_name(name: &str) -> Option<Kind> {
        let ext = name.rsplit_once('.')?.1.to_ascii_lowercase();
        match ext.as_str() {
            "jpg" | "jpeg" => Some(Kind::Jpeg),
            "png" => Some(Kind::Png),
            "svg" => Some(Kind::Svg),
            _ => None,
        }
    }

    /// Whether images of this kind are decoded and written anew (not copied as they are).
    pub fn is_processed(self) -> bool {
        self != Kind::Svg
    }
}

/// What an image's header says.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Header {
    pub kind: Kind,
    /// As stored, before the orientation is applied.
    pub stored: Size,
    /// EXIF orientation, 1–8 (1: upright).
    pub orientation: u8,
    /// A JPEG with EXIF, XMP or IPTC segments.
    pub metadata: bool,
}

/// Reads the header from the file's first bytes (a prefix is enough when it reaches the image
/// data). `Err` holds why, in Chinese, when the bytes are not an image of `kind`.
pub fn read_header(bytes: &[u8], kind: Kind) -> Result<Header, &'static str> {
    match kind {
        Kind::Jpeg => {
            let layout = jpeg::layout(bytes).ok_or("不是有效的 JPEG 图片，或文件不完整")?;
            let orientation = jpeg::exif_block(bytes, &layout).map_or(1, jpeg::orientation);
            let (width, height) = layout.size;
            if width == 0 || height == 0 {
                return Err("JPEG 图片的宽度或高度为 0");
            }
            Ok(Header {
                kind,
                stored: Size { width, height },
                orientation,
                metadata: jpeg::has_metadata(&layout),
            })
        }
        Kind::Svg => Ok(Header {
            kind,
            stored: svg_size(bytes)
                .ok_or("SVG 图片的根元素没有可读的宽度和高度（width、height 或 viewBox）")?,
            orientation: 1,
            metadata: false,
        }),
        Kind::Png => {
            let ok = bytes.len() >= 24 && bytes.starts_with(b"\x89PNG\r\n\x1a\n");
            if !ok || &bytes[12..16] != b"IHDR" {
                return Err("不是有效的 PNG 图片");
            }
            let word = |at: usize| {
                u32::from_be_bytes([bytes[at], bytes[at + 1], bytes[at + 2], bytes[at + 3]])
            };
            let (width, height) = (word(16), word(20));
            if width == 0 || height == 0 {
                return Err("PNG 图片的宽度或高度为 0");
            }
            Ok(Header {
                kind,
                stored: Size { width, height },
                orientation: 1,
                metadata: false,
            })
        }
    }
}

impl Header {
    /// Whether the orientation turns the picture by a quarter (width and height swap).
    fn turned(&self) -> bool {
        self.orientation >= 5
    }

    /// The size as seen, upright.
    pub fn upright(&self) -> Size {
        let Size { width, height } = self.stored;
        if self.turned() {
            Size {
                width: height,
                height: width,
            }
        } else {
            self.stored
        }
    }

    /// The size it is published at: upright, and no wider than `max_width` (aspect kept).
    pub fn published(&self, max_width: u32) -> Size {
        scaled_to(self.upright(), max_width)
    }

    /// The thumbnail's size, when the published image is wider than a thumbnail (never for
    /// SVG, which scales by itself).
    pub fn thumbnail(&self, max_width: u32) -> Option<Size> {
        if !self.kind.is_processed() {
            return None;
        }
        let published = self.published(max_width);
        (published.width > THUMB_WIDTH).then(|| scaled_to(published, THUMB_WIDTH))
    }

    /// Whether the published bytes are the source's bytes.
    pub fn copied_as_is(&self, max_width: u32) -> bool {
        !self.metadata && self.orientation == 1 && self.stored.width <= max_width
    }
}

/// The size an SVG declares on its root element: `width` and `height` in pixels (or without
/// a unit), else the last two numbers of its `viewBox`, rounded.
fn svg_size(bytes: &[u8]) -> Option<Size> {
    use std::sync::LazyLock;
    static ATTR: LazyLock<regex::Regex> = LazyLock::new(|| {
        regex::Regex::new(r#"(?:^|\s)(width|height|viewBox)\s*=\s*["']([^"']*)["']"#)
            .expect("valid")
    });
    let text = String::from_utf8_lossy(&bytes[..bytes.len().min(64 * 1024)]);
    let start = text.find("<svg")?;
    let tag = &text[start + 4..start + text[start..].find('>')?];
    let (mut width, mut height, mut view) = (None, None, None);
    for c in ATTR.captures_iter(tag) {
        let value = c[2].trim();
        let px = || {
            value
                .strip_suffix("px")
                .unwrap_or(value)
                .trim()
                .parse::<f64>()
                .ok()
        };
        match &c[1] {
            "width" => width = px(),
            "height" => height = px(),
            _ => {
                view = Some(
                    value
                        .split([' ', ','])
                        .filter(|p| !p.is_empty())
                        .filter_map(|p| p.parse::<f64>().ok())
                        .collect::<Vec<_>>(),
                )
            }
        }
    }
    let (w, h) = match (width, height, view) {
        (Some(w), Some(h), _) => (w, h),
        (_, _, Some(v)) if v.len() == 4 => (v[2], v[3]),
        _ => return None,
    };
    let ok = |n: f64| (1.0..100_000.0).contains(&n).then_some(n.round() as u32);
    Some(Size {
        width: ok(w)?,
        height: ok(h)?,
    })
}

/// `size` scaled down to `max_width` when wider, aspect kept (height rounded, at least 1).
pub fn scaled_to(size: Size, max_width: u32) -> Size {
    if size.width <= max_width {
        return size;
    }
    let height =
        (size.height as u64 * max_width as u64 + size.width as u64 / 2) / size.width as u64;
    Size {
        width: max_width,
        height: (height as u32).max(1),
    }
}

/// An image's published bytes and, when asked for, its thumbnail's.
pub struct Processed<'b> {
    pub main: Cow<'b, [u8]>,
    pub thumb: Option<Vec<u8>>,
}

/// Publishes `bytes` (whose header is `header`): copied as they are, without their metadata
/// segments, or decoded and encoded again (see the module). `Err` holds why, in Chinese.
pub fn process<'b>(
    bytes: &'b [u8],
    header: &Header,
    max_width: u32,
    thumb: bool,
) -> Result<Processed<'b>, String> {
    if !header.kind.is_processed() {
        return Ok(Processed {
            main: Cow::Borrowed(bytes),
            thumb: None,
        });
    }
    let thumb = thumb && header.thumbnail(max_width).is_some();
    let needs_pixels = header.orientation != 1 || header.stored.width > max_width;
    if !needs_pixels && !thumb {
        return Ok(Processed {
            main: without_pixels(bytes, header)?,
            thumb: None,
        });
    }
    let image = decode_published(bytes, header, max_width)?;
    let icc = match header.kind {
        Kind::Jpeg => jpeg::layout(bytes).and_then(|l| jpeg::icc_profile(bytes, &l)),
        _ => None,
    };
    let encode = |image: &DynamicImage, quality| encode(image, header.kind, quality, icc.clone());
    let thumb = match header.thumbnail(max_width).filter(|_| thumb) {
        Some(size) => Some(encode(&resize(&image, size)?, THUMB_QUALITY)?),
        None => None,
    };
    let main = if needs_pixels {
        Cow::Owned(encode(&image, JPEG_QUALITY)?)
    } else {
        without_pixels(bytes, header)?
    };
    Ok(Processed { main, thumb })
}

/// The published bytes of an image whose pixels stay: the source's, without the metadata
/// segments of a JPEG.
pub fn without_pixels<'b>(bytes: &'b [u8], header: &Header) -> Result<Cow<'b, [u8]>, String> {
    match header.kind {
        Kind::Jpeg if header.metadata => {
            let layout = jpeg::layout(bytes).ok_or("不是有效的 JPEG 图片，或文件不完整")?;
            Ok(Cow::Owned(jpeg::without_metadata(bytes, &layout)))
        }
        _ => Ok(Cow::Borrowed(bytes)),
    }
}

/// Decodes and returns the image as published: scaled first (on the stored pixels, so the
/// turn works on the small image), then turned upright.
fn decode_published(bytes: &[u8], header: &Header, max_width: u32) -> Result<DynamicImage, String> {
    let format = match header.kind {
        Kind::Jpeg => ImageFormat::Jpeg,
        Kind::Png => ImageFormat::Png,
        Kind::Svg => return Err("SVG 图片不解码".to_string()),
    };
    let decoded = image::load_from_memory_with_format(bytes, format)
        .map_err(|e| format!("图片无法解码：{e}"))?;
    let decoded = normalized(decoded);
    let published = header.published(max_width);
    let stored_target = if header.turned() {
        Size {
            width: published.height,
            height: published.width,
        }
    } else {
        published
    };
    let mut image = if stored_target
        == (Size {
            width: decoded.width(),
            height: decoded.height(),
        }) {
        decoded
    } else {
        resize(&decoded, stored_target)?
    };
    if let Some(o) = image::metadata::Orientation::from_exif(header.orientation) {
        image.apply_orientation(o);
    }
    Ok(image)
}

/// 8-bit grey, RGB or RGBA: the layouts the resizer and encoders share.
fn normalized(image: DynamicImage) -> DynamicImage {
    match image {
        DynamicImage::ImageLuma8(_) | DynamicImage::ImageRgb8(_) | DynamicImage::ImageRgba8(_) => {
            image
        }
        other if other.color().has_alpha() => DynamicImage::ImageRgba8(other.to_rgba8()),
        other => DynamicImage::ImageRgb8(other.to_rgb8()),
    }
}

/// Scales an 8-bit image to `size` with Lanczos3, working in 8 bits: a 12-megapixel photo
/// needs no buffer larger than itself.
fn resize(image: &DynamicImage, size: Size) -> Result<DynamicImage, String> {
    let pixel = match image {
        DynamicImage::ImageLuma8(_) => fr::PixelType::U8,
        DynamicImage::ImageRgba8(_) => fr::PixelType::U8x4,
        _ => fr::PixelType::U8x3,
    };
    let failed = |e: &dyn std::fmt::Display| format!("图片缩放失败：{e}");
    let src = fr::images::ImageRef::new(image.width(), image.height(), image.as_bytes(), pixel)
        .map_err(|e| failed(&e))?;
    let mut dst = fr::images::Image::new(size.width, size.height, pixel);
    fr::Resizer::new()
        .resize(&src, &mut dst, &fr::ResizeOptions::new())
        .map_err(|e| failed(&e))?;
    let (w, h, v) = (size.width, size.height, dst.into_vec());
    let made = match pixel {
        fr::PixelType::U8 => image::GrayImage::from_raw(w, h, v).map(DynamicImage::ImageLuma8),
        fr::PixelType::U8x4 => image::RgbaImage::from_raw(w, h, v).map(DynamicImage::ImageRgba8),
        _ => image::RgbImage::from_raw(w, h, v).map(DynamicImage::ImageRgb8),
    };
    made.ok_or_else(|| failed(&"缓冲区大小不符"))
}

/// Encodes as the source's format: JPEG at `quality` with the source's colour profile `icc`
/// (no EXIF is written), or PNG.
fn encode(
    image: &DynamicImage,
    kind: Kind,
    quality: u8,
    icc: Option<Vec<u8>>,
) -> Result<Vec<u8>, String> {
    use image::ImageEncoder;
    let mut out = Vec::new();
    let result = match kind {
        Kind::Jpeg => {
            let rgb;
            let image = if image.color().has_alpha() {
                rgb = DynamicImage::ImageRgb8(image.to_rgb8());
                &rgb
            } else {
                image
            };
            let mut encoder = image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, quality);
            // A profile too large for JPEG's 255 chunks (only a forged file has one) is left out.
            if let Some(icc) = icc.filter(|p| p.len() <= 255 * (65533 - 14)) {
                let _ = encoder.set_icc_profile(icc);
            }
            image.write_with_encoder(encoder)
        }
        Kind::Png | Kind::Svg => {
            image.write_with_encoder(image::codecs::png::PngEncoder::new(&mut out))
        }
    };
    result.map_err(|e| format!("图片编码失败：{e}"))?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scaling_keeps_the_aspect() {
        let s = scaled_to(
            Size {
                width: 4000,
                height: 3000,
            },
            1600,
        );
        assert_eq!((s.width, s.height), (1600, 1200));
        let s = scaled_to(
            Size {
                width: 1000,
                height: 3,
            },
            10,
        );
        assert_eq!((s.width, s.height), (10, 1));
        let small = Size {
            width: 800,
            height: 600,
        };
        assert_eq!(scaled_to(small, 1600), small);
    }

    #[test]
    fn svg_sizes_come_from_the_root_element() {
        let size = |t: &str| svg_size(t.as_bytes()).map(|s| (s.width, s.height));
        let svg = r#"<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" stroke-width="3" width="640px" height="360" viewBox="0 0 10 10"><rect width="5"/></svg>"#;
        assert_eq!(size(svg), Some((640, 360)));
        assert_eq!(size(r#"<svg viewBox="0 0 800.4 450">"#), Some((800, 450)));
        assert_eq!(size(r#"<svg width="100%" height="100%">"#), None);
        assert_eq!(size("<html></html>"), None);
    }

    #[test]
    fn a_turned_photo_is_published_upright() {
        let h = Header {
            kind: Kind::Jpeg,
            stored: Size {
                width: 4000,
                height: 3000,
            },
            orientation: 6,
            metadata: true,
        };
        assert_eq!(
            h.published(1600),
            Size {
                width: 1600,
                height: 2133
            }
        );
        assert!(!h.copied_as_is(1600));
    }
}
