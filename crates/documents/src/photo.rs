//! Members' photos (R8): an upload is decoded and re-encoded (image crate), so nothing of the original
//! file survives — no EXIF, no GPS position, no hidden payload — and scaled to a fixed maximum. Only JPEG,
//! PNG and WebP are taken; a file whose header promises a huge picture (a decompression bomb) is refused
//! before anything is decoded.

use std::io::Cursor;

use image::{ImageFormat, ImageReader, Limits};
use sha2::{Digest, Sha256};

/// The largest upload taken.
pub const MAX_UPLOAD_BYTES: usize = 5 * 1024 * 1024;
/// The stored photo fits in this box (portrait 3:4).
pub const MAX_WIDTH: u32 = 480;
pub const MAX_HEIGHT: u32 = 640;
/// Pictures larger than this are refused unread.
const MAX_SOURCE_SIDE: u32 = 8000;

/// A photo ready to store: a JPEG with no metadata.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredPhoto {
    pub jpeg: Vec<u8>,
    pub width: u32,
    pub height: u32,
    /// SHA-256 of the JPEG, for the ETag.
    pub etag: String,
}

/// Why an upload was refused, in words for the person uploading.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PhotoError {
    #[error("照片为空")]
    Empty,
    #[error("照片过大：最大 5 MB")]
    TooLarge,
    #[error("只能上传 JPEG、PNG 或 WebP 格式的照片")]
    NotAnImage,
    #[error("照片尺寸过大（最大 8000×8000 像素）")]
    TooManyPixels,
    #[error("照片文件已损坏，无法读取")]
    Unreadable,
}

/// An activity's photo (R10) fits in this square, landscape or portrait.
pub const ACTIVITY_MAX_SIDE: u32 = 1600;

/// Decodes, scales and re-encodes a member's portrait.
pub fn normalise(bytes: &[u8]) -> Result<StoredPhoto, PhotoError> {
    normalise_within(bytes, MAX_WIDTH, MAX_HEIGHT)
}

/// Decodes, scales and re-encodes a photo of an activity.
pub fn normalise_activity_photo(bytes: &[u8]) -> Result<StoredPhoto, PhotoError> {
    normalise_within(bytes, ACTIVITY_MAX_SIDE, ACTIVITY_MAX_SIDE)
}

/// Decodes an upload, scales it to fit `max_width`×`max_height` and re-encodes it as a JPEG.
fn normalise_within(bytes: &[u8], max_width: u32, max_height: u32) -> Result<StoredPhoto, PhotoError> {
    if bytes.is_empty() {
        return Err(PhotoError::Empty);
    }
    if bytes.len() > MAX_UPLOAD_BYTES {
        return Err(PhotoError::TooLarge);
    }
    let format = image::guess_format(bytes).map_err(|_| PhotoError::NotAnImage)?;
    if !matches!(format, ImageFormat::Jpeg | ImageFormat::Png | ImageFormat::WebP) {
        return Err(PhotoError::NotAnImage);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let (width, height) = reader.into_dimensions().map_err(|err| match err {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Unreadable,
    })?;
    if width > MAX_SOURCE_SIDE || height > MAX_SOURCE_SIDE {
        return Err(PhotoError::TooManyPixels);
    }
    let mut reader = ImageReader::with_format(Cursor::new(bytes), format);
    let mut limits = Limits::default();
    limits.max_image_width = Some(MAX_SOURCE_SIDE);
    limits.max_image_height = Some(MAX_SOURCE_SIDE);
    limits.max_alloc = Some(256 * 1024 * 1024);
    reader.limits(limits);
    let decoded = reader.decode().map_err(|err| match err {
        image::ImageError::Limits(_) => PhotoError::TooManyPixels,
        _ => PhotoError::Unreadable,
    })?;
    let scaled = if decoded.width() > max_width || decoded.height() > max_height {
        decoded.resize(max_width, max_height, image::imageops::FilterType::Triangle)
    } else {
        decoded
    };
    let rgb = scaled.to_rgb8();
    let mut jpeg = Vec::new();
    image::codecs::jpeg::JpegEncoder::new_with_quality(&mut jpeg, 85)
        .encode_image(&rgb)
        .map_err(|_| PhotoError::Unreadable)?;
    Ok(StoredPhoto {
        etag: hex::encode(Sha256::digest(&jpeg)),
        width: rgb.width(),
        height: rgb.height(),
        jpeg,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jpeg(width: u32, height: u32) -> Vec<u8> {
        let picture = image::RgbImage::from_fn(width, height, |x, y| {
            image::Rgb([u8::try_from(x % 256).unwrap(), u8::try_from(y % 256).unwrap(), 90])
        });
        let mut out = Vec::new();
        image::codecs::jpeg::JpegEncoder::new_with_quality(&mut out, 90)
            .encode_image(&picture)
            .unwrap();
        out
    }

    /// Puts an EXIF segment naming a GPS position right after the JPEG's start marker.
    fn with_exif_gps(mut jpeg: Vec<u8>) -> Vec<u8> {
        let payload = b"Exif\0\0MM\0*GPSLatitude 23.1291N GPSLongitude 113.2644E";
        let length = u16::try_from(payload.len() + 2).unwrap().to_be_bytes();
        let mut segment = vec![0xFF, 0xE1, length[0], length[1]];
        segment.extend_from_slice(payload);
        jpeg.splice(2..2, segment);
        jpeg
    }

    fn contains(haystack: &[u8], needle: &[u8]) -> bool {
        haystack.windows(needle.len()).any(|w| w == needle)
    }

    #[test]
    fn metadata_is_stripped_and_the_photo_scaled() {
        let upload = with_exif_gps(jpeg(1200, 1600));
        assert!(contains(&upload, b"GPSLatitude"));
        let stored = normalise(&upload).unwrap();
        assert!(!contains(&stored.jpeg, b"GPSLatitude"));
        assert!(!contains(&stored.jpeg, b"Exif"));
        assert_eq!((stored.width, stored.height), (480, 640));
        assert_eq!(stored.etag.len(), 64);
        // Small pictures keep their size.
        assert_eq!(normalise(&jpeg(200, 300)).unwrap().width, 200);
    }

    #[test]
    fn other_files_and_bombs_are_refused() {
        assert_eq!(normalise(b""), Err(PhotoError::Empty));
        assert_eq!(
            normalise(b"<svg xmlns='http://www.w3.org/2000/svg'/>"),
            Err(PhotoError::NotAnImage)
        );
        assert_eq!(normalise(b"GIF89a\x01\x00\x01\x00"), Err(PhotoError::NotAnImage));
        assert_eq!(
            normalise(&vec![0u8; MAX_UPLOAD_BYTES + 1]),
            Err(PhotoError::TooLarge)
        );
        // A PNG whose header claims 100,000 × 100,000 pixels: refused before decoding.
        let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
        let mut ihdr = b"IHDR".to_vec();
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&100_000u32.to_be_bytes());
        ihdr.extend_from_slice(&[8, 2, 0, 0, 0]);
        png.extend_from_slice(&13u32.to_be_bytes());
        png.extend_from_slice(&ihdr);
        png.extend_from_slice(&crc32(&ihdr).to_be_bytes());
        assert_eq!(normalise(&png), Err(PhotoError::TooManyPixels));
        // A JPEG cut short.
        let broken = jpeg(100, 100)[..200].to_vec();
        assert_eq!(normalise(&broken), Err(PhotoError::Unreadable));
    }

    /// CRC-32 of a PNG chunk (type and data), so the crafted header is otherwise valid.
    fn crc32(bytes: &[u8]) -> u32 {
        let mut crc = 0xFFFF_FFFFu32;
        for byte in bytes {
            crc ^= u32::from(*byte);
            for _ in 0..8 {
                crc = if crc & 1 == 1 {
                    (crc >> 1) ^ 0xEDB8_8320
                } else {
                    crc >> 1
                };
            }
        }
        !crc
    }
}
