//! scratch
use std::time::Instant;
fn main() {
    let img = image::DynamicImage::ImageRgb8(image::RgbImage::from_fn(4000, 3000, |x, y| image::Rgb([x as u8, y as u8, 7])));
    let t = Instant::now();
    let mut dst = image::DynamicImage::new(200, 150, img.color());
    let opts = fast_image_resize::ResizeOptions::new().resize_alg(fast_image_resize::ResizeAlg::Convolution(fast_image_resize::FilterType::Lanczos3));
    fast_image_resize::Resizer::new().resize(&img, &mut dst, &opts).ok();
    println!("fir {:?}", t.elapsed());
    let t = Instant::now();
    let _ = img.clone();
    println!("clone {:?}", t.elapsed());
    let t = Instant::now();
    let _ = img.to_rgba8();
    println!("to_rgba8 {:?}", t.elapsed());
}
