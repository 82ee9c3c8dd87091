//! QR codes (二维码) as inline SVG, for posters and notices that residents scan with any phone
//! camera or WeChat (X12).

use qrcode::render::svg;
use qrcode::{EcLevel, QrCode};

/// An SVG QR code for `url`, `size_px` wide, with an accessible title. Medium error correction
/// survives a poster that is a little worn.
pub fn svg_for_url(url: &str, size_px: u32, title: &str) -> Result<String, String> {
    let code =
        QrCode::with_error_correction_level(url.as_bytes(), EcLevel::M).map_err(|err| err.to_string())?;
    let image = code
        .render::<svg::Color<'_>>()
        .min_dimensions(size_px, size_px)
        .quiet_zone(true)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .build();
    // Give the drawing a name for screen readers: role="img" with a <title>.
    let escaped: String = title
        .chars()
        .filter(|c| !matches!(c, '<' | '>' | '&' | '"'))
        .collect();
    Ok(image.replacen(
        "<svg ",
        &format!("<svg role=\"img\" aria-label=\"{escaped}\" "),
        1,
    ))
}

#[cfg(test)]
mod tests {
    use super::svg_for_url;

    #[test]
    fn a_qr_code_is_an_accessible_svg() {
        let svg = svg_for_url("http://127.0.0.1:8080/rooms/1", 200, "扫码打开工作室页面").unwrap();
        assert!(svg.contains("<svg role=\"img\" aria-label=\"扫码打开工作室页面\""));
        assert!(svg.contains("<path") || svg.contains("<rect"));
    }
}
