//! Photos: scaled to `[images] max_width`, turned upright, published without EXIF, written with
//! `width` and `height`, shown as figures with a caption, cover thumbnails, and reused by the
//! next build when nothing changed. The fixture's pictures are made here, so the repository
//! holds no binary files.

use std::io::Cursor;
use std::os::unix::fs::MetadataExt;

use crate::support::{SiteTest, stderr};

/// A JPEG of `width`×`height` (quality 90, no EXIF) painted by `paint(x, y)`.
pub(crate) fn jpeg(width: u32, height: u32, paint: impl Fn(u32, u32) -> [u8; 3]) -> Vec<u8> {
    let img = image::RgbImage::from_fn(width, height, |x, y| image::Rgb(paint(x, y)));
    let mut out = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
        .encode_image(&img)
        .unwrap();
    out
}

/// A smooth picture, so that JPEG noise stays small.
pub(crate) fn gradient(x: u32, y: u32) -> [u8; 3] {
    [(x % 256) as u8, (y % 256) as u8, 128]
}

/// The APP1 segment of an EXIF block with `orientation` and GPS coordinates (28°40'12.5"N),
/// built by hand: little-endian TIFF, IFD0 with Orientation and the GPS pointer, a GPS IFD
/// with GPSLatitudeRef and GPSLatitude.
fn exif_app1(orientation: u16) -> Vec<u8> {
    let mut t: Vec<u8> = b"II\x2a\x00".to_vec();
    t.extend(8u32.to_le_bytes());
    let entry = |t: &mut Vec<u8>, tag: u16, kind: u16, count: u32, value: [u8; 4]| {
        t.extend(tag.to_le_bytes());
        t.extend(kind.to_le_bytes());
        t.extend(count.to_le_bytes());
        t.extend(value);
    };
    // IFD0 at 8: 2 entries (30 bytes); the GPS IFD at 38: 2 entries (30 bytes); data at 68.
    t.extend(2u16.to_le_bytes());
    let o = orientation.to_le_bytes();
    entry(&mut t, 0x0112, 3, 1, [o[0], o[1], 0, 0]);
    entry(&mut t, 0x8825, 4, 1, 38u32.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    t.extend(2u16.to_le_bytes());
    entry(&mut t, 0x0001, 2, 2, *b"N\0\0\0");
    entry(&mut t, 0x0002, 5, 3, 68u32.to_le_bytes());
    t.extend(0u32.to_le_bytes());
    for (num, den) in [(28u32, 1u32), (40, 1), (1250, 100)] {
        t.extend(num.to_le_bytes());
        t.extend(den.to_le_bytes());
    }
    let mut seg = vec![0xFF, 0xE1];
    seg.extend(((2 + 6 + t.len()) as u16).to_be_bytes());
    seg.extend(b"Exif\0\0");
    seg.extend(t);
    seg
}

/// `jpeg` with an EXIF segment right after its start marker.
fn with_exif(jpeg: &[u8], orientation: u16) -> Vec<u8> {
    let mut out = jpeg[..2].to_vec();
    out.extend(exif_app1(orientation));
    out.extend(&jpeg[2..]);
    out
}

/// `jpeg` with a colour profile (one APP2 `ICC_PROFILE` chunk holding `profile`).
fn with_icc(jpeg: &[u8], profile: &[u8]) -> Vec<u8> {
    let mut seg = vec![0xFF, 0xE2];
    seg.extend(((2 + 14 + profile.len()) as u16).to_be_bytes());
    seg.extend(b"ICC_PROFILE\0\x01\x01");
    seg.extend(profile);
    let mut out = jpeg[..2].to_vec();
    out.extend(seg);
    out.extend(&jpeg[2..]);
    out
}

/// A stand-in for a colour profile: the encoder embeds whatever bytes it is given.
const PROFILE: &[u8] = b"display-p3 profile stand-in";

/// Whether the EXIF in `bytes` (if any) has GPS coordinates, as kamadak-exif reads it.
fn has_gps(bytes: &[u8]) -> bool {
    let Ok(exif) = exif::Reader::new().read_from_container(&mut Cursor::new(bytes)) else {
        return false;
    };
    exif.fields()
        .any(|f| f.ifd_num == exif::In::PRIMARY && f.tag.context() == exif::Context::Gps)
}

fn size_of(bytes: &[u8]) -> (u32, u32) {
    let img = image::load_from_memory(bytes).unwrap();
    (img.width(), img.height())
}

/// The fixture with its pictures: a large photo with GPS, a phone photo held upright
/// (orientation 6: left half red, right half blue as stored), a small clean icon, a cover,
/// and a file that is no JPEG at all.
fn site() -> SiteTest {
    let t = SiteTest::fixture("images");
    let dir = t.root.join("static/images");
    std::fs::create_dir_all(&dir).unwrap();
    let big = with_icc(&jpeg(1000, 600, gradient), PROFILE);
    std::fs::write(dir.join("big.jpg"), with_exif(&big, 1)).unwrap();
    let halves = |x: u32, _| {
        if x < 150 {
            [230, 20, 20]
        } else {
            [20, 20, 230]
        }
    };
    std::fs::write(
        dir.join("turned.jpg"),
        with_exif(&jpeg(300, 200, halves), 6),
    )
    .unwrap();
    std::fs::write(dir.join("small.jpg"), jpeg(40, 30, gradient)).unwrap();
    std::fs::write(dir.join("cover.jpg"), jpeg(1200, 600, gradient)).unwrap();
    std::fs::write(dir.join("bad.jpg"), b"\xFF\xD8 this is no photo").unwrap();
    t
}

fn published(t: &SiteTest, rel: &str) -> Vec<u8> {
    std::fs::read(t.public().join(rel)).unwrap()
}

#[test]
fn photos_are_scaled_turned_upright_and_lose_their_exif() {
    let t = site();
    t.build(&[]);
    let big = published(&t, "images/big.jpg");
    assert!(has_gps(
        &std::fs::read(t.root.join("static/images/big.jpg")).unwrap()
    ));
    assert_eq!(size_of(&big), (800, 480));
    assert!(!has_gps(&big) && !big.windows(6).any(|w| w == b"Exif\0\0"));
    assert!(
        big.windows(PROFILE.len()).any(|w| w == PROFILE),
        "colour profile kept"
    );
    let turned = published(&t, "images/turned.jpg");
    assert!(!has_gps(&turned) && !turned.windows(6).any(|w| w == b"Exif\0\0"));
    let img = image::load_from_memory(&turned).unwrap().to_rgb8();
    assert_eq!(img.dimensions(), (200, 300), "orientation 6 is portrait");
    // Turned a quarter clockwise: the stored left (red) half is now on top.
    let (top, bottom) = (img.get_pixel(100, 40), img.get_pixel(100, 260));
    assert!(top[0] > 150 && top[2] < 100, "{top:?}");
    assert!(bottom[2] > 150 && bottom[0] < 100, "{bottom:?}");
    let page = t.read("news/yi-zhen/index.html");
    assert!(
        page.contains(
            r#"src="/images/big.jpg" alt="义诊现场" title="义诊现场一角" width="800" height="480""#
        ),
        "{page}"
    );
    assert!(
        page.contains(r#"src="/images/turned.jpg" alt="手机竖拍的照片" width="200" height="300""#),
        "{page}"
    );
}

#[test]
fn a_small_clean_jpeg_is_copied_byte_for_byte_and_exif_alone_is_cut_out_losslessly() {
    let t = site();
    let clean = jpeg(40, 30, gradient);
    let dir = t.root.join("static/images");
    std::fs::write(dir.join("gps.jpg"), with_exif(&clean, 1)).unwrap();
    t.build(&[]);
    assert_eq!(
        published(&t, "images/small.jpg"),
        std::fs::read(dir.join("small.jpg")).unwrap()
    );
    // Only the EXIF segment goes; the image data is not encoded again.
    assert_eq!(published(&t, "images/gps.jpg"), clean);
}

#[test]
fn an_image_alone_in_its_paragraph_is_a_figure_with_a_caption() {
    let t = site();
    t.build(&[]);
    let page = t.read("news/yi-zhen/index.html");
    let figures: Vec<&str> = page.split("<figure class=\"figure\">").skip(1).collect();
    assert_eq!(figures.len(), 2, "{page}");
    assert!(
        figures[0].contains("<figcaption>义诊现场一角</figcaption></figure>"),
        "title first"
    );
    assert!(
        figures[1].contains("<figcaption>手机竖拍的照片</figcaption></figure>"),
        "else alt"
    );
    // An image among text stays in its paragraph, with its size.
    assert!(
        page.contains(r#"<p>文字中间的小图标<img src="/images/small.jpg" alt="图标" width="40" height="30" loading="lazy" decoding="async">不单独成段。</p>"#),
        "{page}"
    );
    assert!(!page.contains("<p><figure"), "{page}");
    // An SVG is copied as it is, with the size its root element declares.
    let page = t.read("news/zuo-tan/index.html");
    assert!(
        page.contains(r#"<img src="/images/plan.svg" alt="会场平面图" width="640" height="360""#),
        "{page}"
    );
    assert_eq!(
        published(&t, "images/plan.svg"),
        std::fs::read(t.root.join("static/images/plan.svg")).unwrap()
    );
}

#[test]
fn a_cover_gets_a_thumbnail_that_lists_show_and_check_knows() {
    let t = site();
    t.write(
        "content/news/2026-11-17-lian-jie.md",
        "+++\ntitle = \"链接缩略图\"\n+++\n\n[缩略图](/images/cover.thumb.jpg)\n",
    );
    t.build(&[]);
    assert_eq!(
        size_of(&published(&t, "images/cover.thumb.jpg")),
        (480, 240)
    );
    assert_eq!(size_of(&published(&t, "images/cover.jpg")), (800, 400));
    let list = t.read("news/index.html");
    assert!(
        list.contains(
            r#"<img class="thumb" src="/images/cover.thumb.jpg" alt="" width="480" height="240">"#
        ),
        "{list}"
    );
    let page = t.read("news/yi-zhen/index.html");
    assert!(
        page.contains(
            r#"<img class="cover" src="/images/cover.jpg" alt="" width="800" height="400">"#
        ),
        "{page}"
    );
    // Only covers get thumbnails.
    assert!(!t.exists("images/big.thumb.jpg"));
    let out = t.run("check", &[]);
    assert!(
        !crate::support::stdout(&out).contains("missing-file"),
        "{}",
        crate::support::stdout(&out)
    );
}

#[test]
fn a_thumbnail_and_a_static_file_on_one_path_are_a_duplicate() {
    let t = site();
    std::fs::write(
        t.root.join("static/images/cover.thumb.jpg"),
        jpeg(10, 10, gradient),
    )
    .unwrap();
    let out = t.run("build", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("error[duplicate-url]"),
        "{}",
        stderr(&out)
    );
    assert!(
        stderr(&out).contains("/images/cover.thumb.jpg"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn the_next_build_reuses_unchanged_images_and_remakes_changed_ones() {
    let t = site();
    t.build(&[]);
    // Mark the published photo without changing its size: a build that reuses it keeps the
    // mark, one that makes it anew does not.
    let out = t.public().join("images/big.jpg");
    let mut marked = std::fs::read(&out).unwrap();
    let middle = marked.len() / 2;
    marked[middle] ^= 0x55;
    std::fs::write(&out, &marked).unwrap();
    let thumb_inode = std::fs::metadata(t.public().join("images/cover.thumb.jpg"))
        .unwrap()
        .ino();
    t.build(&[]);
    assert_eq!(
        published(&t, "images/big.jpg"),
        marked,
        "reused, not made again"
    );
    let thumb = t.public().join("images/cover.thumb.jpg");
    assert_eq!(
        std::fs::metadata(&thumb).unwrap().ino(),
        thumb_inode,
        "linked from the last output"
    );
    // A changed photo is made anew; the others are still taken over.
    let dir = t.root.join("static/images");
    std::fs::write(
        dir.join("turned.jpg"),
        with_exif(&jpeg(300, 200, gradient), 1),
    )
    .unwrap();
    t.build(&[]);
    assert_eq!(size_of(&published(&t, "images/turned.jpg")), (300, 200));
    assert_eq!(published(&t, "images/big.jpg"), marked);
    // Other settings: everything is made anew.
    let config = std::fs::read_to_string(t.root.join("config.toml")).unwrap();
    t.write(
        "config.toml",
        &config.replace("max_width = 800", "max_width = 600"),
    );
    t.build(&[]);
    let big = published(&t, "images/big.jpg");
    assert_ne!(big, marked);
    assert_eq!(size_of(&big), (600, 360));
    assert!(
        t.read("news/yi-zhen/index.html")
            .contains(r#"width="600" height="360""#)
    );
}

#[test]
fn a_file_that_is_no_image_is_a_warning_not_a_panic() {
    let t = site();
    // A JPEG cut off in its image data: the decoder may make do or give up; either way it is
    // published, without its EXIF.
    let whole = with_exif(&jpeg(1000, 600, gradient), 1);
    let cut = &whole[..whole.len() / 3];
    std::fs::write(t.root.join("static/images/cut.jpg"), cut).unwrap();
    // A PNG whose header reads but whose pixels are garbled: it cannot be scaled.
    let mut png = Vec::new();
    image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(1000, 600, |x, y| {
        image::Rgb(gradient(x * 7, y * 13))
    }))
    .write_to(&mut Cursor::new(&mut png), image::ImageFormat::Png)
    .unwrap();
    let middle = png.len() / 2;
    png[middle..middle + 64].fill(0);
    std::fs::write(t.root.join("static/images/garbled.png"), &png).unwrap();
    let out = t.build(&[]);
    let err = stderr(&out);
    assert!(
        err.contains("static/images/bad.jpg: warning[image]: 不是有效的 JPEG 图片"),
        "{err}"
    );
    assert!(
        err.contains("static/images/garbled.png: warning[image]: 图片无法解码"),
        "{err}"
    );
    assert_eq!(
        published(&t, "images/bad.jpg"),
        b"\xFF\xD8 this is no photo"
    );
    assert_eq!(published(&t, "images/garbled.png"), png);
    assert!(
        !published(&t, "images/cut.jpg")
            .windows(6)
            .any(|w| w == b"Exif\0\0")
    );
    let page = t.read("news/zuo-tan/index.html");
    assert!(
        page.contains(r#"<img src="/images/bad.jpg" alt="坏图" loading="lazy""#),
        "{page}"
    );
}
