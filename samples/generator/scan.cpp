#include "samples/generator/scan.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <stdexcept>

namespace sohoa::samples {
namespace {

using vips::VImage;

constexpr int kInkLevel = 28;  // toner is never quite black on a scan

bool has(const std::vector<std::string>& list, const std::string& name) {
  return std::find(list.begin(), list.end(), name) != list.end();
}

double signed_angle(Random& rng, double lo, double hi) {
  double a = rng.real(lo, hi);
  return rng.chance(0.5) ? a : -a;
}

// Skews are recorded to hundredths of a degree, as measured values would be.
double round2(double v) { return std::round(v * 100.0) / 100.0; }

double profile_skew(Random& rng, Profile profile) {
  if (profile == Profile::kHard) {
    if (rng.chance(0.15)) return round2(signed_angle(rng, 15.0, 45.0));
    return round2(signed_angle(rng, 0.5, 15.0));
  }
  return round2(signed_angle(rng, 0.3, 5.0));
}

int random_rotation(Random& rng) { return 90 * rng.between(1, 3); }

VImage paper_and_ink(const VImage& clean, int paper) {
  if (paper == 255) return clean;
  double scale = (paper - kInkLevel) / 255.0;
  return clean.linear(scale, kInkLevel).cast(VIPS_FORMAT_UCHAR);
}

VImage skew(const VImage& image, double skew_deg, int paper) {
  if (skew_deg == 0.0) return image;
  // vips_rotate turns clockwise as seen on screen; a positive skew is the
  // content turned counter-clockwise.
  return image.rotate(-skew_deg,
                      VImage::option()
                          ->set("interpolate", vips::VInterpolate::new_from_name("bilinear"))
                          ->set("background", std::vector<double>{double(paper)}));
}

VImage turn(const VImage& image, int rotation) {
  // Turning the page counter-clockwise by r is a clockwise turn of 360 - r.
  switch (rotation) {
    case 0:
      return image;
    case 90:
      return image.rot(VIPS_ANGLE_D270);
    case 180:
      return image.rot(VIPS_ANGLE_D180);
    case 270:
      return image.rot(VIPS_ANGLE_D90);
  }
  throw std::invalid_argument("rotation must be 0, 90, 180 or 270");
}

// Light falling off by 30% away from a bright spot somewhere on the page. The
// fall-off is smooth, so it is computed on a coarse grid and enlarged.
VImage uneven_light(const VImage& image, Random& rng) {
  constexpr int kCell = 32;
  int gw = image.width() / kCell + 2, gh = image.height() / kCell + 2;
  double cx = rng.real(0.0, gw - 2.0), cy = rng.real(0.0, gh - 2.0);
  double far = std::hypot(std::max(cx, gw - 2.0 - cx), std::max(cy, gh - 2.0 - cy));
  VImage xy = VImage::xyz(gw, gh);
  VImage dx = xy[0] - cx, dy = xy[1] - cy;
  VImage light = 1.0 - 0.3 * (dx * dx + dy * dy).pow(0.5) / far;
  light = light.resize(kCell, VImage::option()->set("kernel", VIPS_KERNEL_LINEAR))
              .extract_area(0, 0, image.width(), image.height());
  return (image * light).cast(VIPS_FORMAT_UCHAR);
}

// The pixels of a one-band uchar image, to change them in place: vips draw
// calls cost too much per call for thousands of speckles.
class Pixels {
 public:
  explicit Pixels(const VImage& image) : width_(image.width()), height_(image.height()) {
    std::size_t size = 0;
    void* data = image.cast(VIPS_FORMAT_UCHAR).write_to_memory(&size);
    bytes_.assign(static_cast<unsigned char*>(data), static_cast<unsigned char*>(data) + size);
    g_free(data);
  }
  int width() const { return width_; }
  int height() const { return height_; }
  unsigned char& at(int x, int y) { return bytes_[static_cast<std::size_t>(y) * width_ + x]; }
  std::vector<unsigned char>& bytes() { return bytes_; }
  // A copy: copy_memory() of an image over foreign memory would only share it.
  VImage image() const {
    VipsImage* copy = vips_image_new_from_memory_copy(bytes_.data(), bytes_.size(), width_, height_,
                                                      1, VIPS_FORMAT_UCHAR);
    if (copy == nullptr) throw vips::VError();
    return VImage(copy);
  }
  void fill(int x, int y, int w, int h, unsigned char value) {
    for (int yy = std::max(0, y); yy < std::min(height_, y + h); ++yy)
      for (int xx = std::max(0, x); xx < std::min(width_, x + w); ++xx) at(xx, yy) = value;
  }

 private:
  int width_, height_;
  std::vector<unsigned char> bytes_;
};

// Gaussian noise from a table of normal deviates indexed by the seeded
// generator: a full-page vips gaussnoise costs close to a second.
void add_noise(Pixels& pixels, double sigma, Random& rng) {
  constexpr int kTable = 4096;
  std::vector<int> deviates(kTable);
  for (int& d : deviates) {
    // Box-Muller on the seeded source.
    double u1 = std::max(rng.unit(), 1e-12), u2 = rng.unit();
    d = static_cast<int>(
        std::lround(sigma * std::sqrt(-2.0 * std::log(u1)) * std::cos(2.0 * M_PI * u2)));
  }
  std::uint64_t bits = 0;
  int left = 0;
  for (auto& px : pixels.bytes()) {
    if (left == 0) {
      bits = rng.next();
      left = 5;  // five 12-bit indices per draw
    }
    int v = px + deviates[bits & (kTable - 1)];
    bits >>= 12;
    --left;
    px = static_cast<unsigned char>(std::clamp(v, 0, 255));
  }
}

void speckle(Pixels& pixels, Random& rng) {
  int count = pixels.width() * pixels.height() / 2500;
  for (int i = 0; i < count; ++i) {
    int size = rng.between(1, 3);
    unsigned char value = rng.chance(0.6) ? 0 : 255;
    pixels.fill(rng.between(0, pixels.width() - size), rng.between(0, pixels.height() - size), size,
                size, value);
  }
}

// The scanner's lid and the bed outside the sheet show as dark bands.
void dark_border(Pixels& pixels, Random& rng) {
  int sides = rng.between(1, 4);
  int first = rng.between(0, 3);
  int w = pixels.width(), h = pixels.height();
  for (int s = 0; s < sides; ++s) {
    int side = (first + s) % 4;
    int depth = rng.between(20, 110);
    auto value = static_cast<unsigned char>(rng.between(15, 70));
    if (side == 0) pixels.fill(0, 0, w, depth, value);
    if (side == 1) pixels.fill(w - depth, 0, depth, h, value);
    if (side == 2) pixels.fill(0, h - depth, w, depth, value);
    if (side == 3) pixels.fill(0, 0, depth, h, value);
  }
}

}  // namespace

const std::vector<std::string>& degradation_names() {
  static const std::vector<std::string> names = {
      "skew",       "rotation",     "noise",       "speckles", "blur",    "uneven_light",
      "grey_paper", "yellow_paper", "dark_border", "jpeg_q60", "low_dpi", "bilevel"};
  return names;
}

DocumentScan plan_document_scan(Random& rng, const ScanRequest& request) {
  DocumentScan d;
  d.bilevel = request.bilevel;
  if (request.forced) {
    const auto& f = *request.forced;
    d.low_dpi = has(f, "low_dpi");
    d.jpeg_q60 = has(f, "jpeg_q60") && request.jpeg;
    d.yellow = has(f, "yellow_paper") && request.colour_allowed;
    d.grey_paper = !d.yellow && (has(f, "grey_paper") || has(f, "yellow_paper"));
  } else if (request.profile == Profile::kDegraded || request.profile == Profile::kHard) {
    bool hard = request.profile == Profile::kHard;
    d.low_dpi = rng.chance(hard ? 0.3 : 0.15);
    d.jpeg_q60 = request.jpeg && rng.chance(hard ? 0.5 : 0.25);
    if (rng.chance(hard ? 0.5 : 0.3)) {
      d.yellow = request.colour_allowed && rng.chance(0.5);
      d.grey_paper = !d.yellow;
    }
  }
  // Office scanners set to 200 dpi: the small files of the quick start.
  if (request.profile == Profile::kMild && !request.forced) d.low_dpi = true;
  if (d.grey_paper) d.paper = rng.between(205, 238);
  if (d.yellow) d.paper = rng.between(235, 250);
  d.dpi = d.low_dpi ? 200 : 300;
  d.colour = request.colour_allowed && !request.bilevel;
  return d;
}

PageScan plan_page_scan(Random& rng, const ScanRequest& request) {
  PageScan p;
  bool hard = request.profile == Profile::kHard;
  if (request.forced) {
    const auto& f = *request.forced;
    if (has(f, "skew")) p.skew_deg = profile_skew(rng, request.profile);
    if (has(f, "rotation")) p.rotation = random_rotation(rng);
    if (has(f, "noise")) p.noise_sigma = std::round(rng.real(4.0, 12.0) * 10.0) / 10.0;
    p.speckles = has(f, "speckles");
    if (has(f, "blur")) p.blur_sigma = 1.0;
    p.uneven_light = has(f, "uneven_light");
    p.dark_border = has(f, "dark_border");
  } else if (request.profile == Profile::kMild) {
    if (rng.chance(0.4)) p.skew_deg = round2(signed_angle(rng, 0.5, 2.5));
  } else if (request.profile != Profile::kClean) {
    if (rng.chance(hard ? 0.9 : 0.6)) p.skew_deg = profile_skew(rng, request.profile);
    if (rng.chance(hard ? 0.35 : 0.12)) p.rotation = random_rotation(rng);
    if (rng.chance(hard ? 0.7 : 0.4))
      p.noise_sigma = std::round(rng.real(2.0, hard ? 12.0 : 6.0) * 10.0) / 10.0;
    p.speckles = rng.chance(hard ? 0.5 : 0.2);
    if (rng.chance(hard ? 0.4 : 0.2)) p.blur_sigma = 1.0;
    p.uneven_light = rng.chance(hard ? 0.5 : 0.25);
    p.dark_border = rng.chance(hard ? 0.5 : 0.2);
  }
  if (request.skew_deg) p.skew_deg = *request.skew_deg;
  if (request.rotation) p.rotation = *request.rotation;
  return p;
}

std::vector<std::string> recorded_degradations(const DocumentScan& doc, const PageScan& page) {
  std::vector<std::string> out;
  if (page.skew_deg != 0.0) out.push_back("skew");
  if (page.rotation != 0) out.push_back("rotation");
  if (page.noise_sigma > 0.0) out.push_back("noise");
  if (page.speckles) out.push_back("speckles");
  if (page.blur_sigma > 0.0) out.push_back("blur");
  if (page.uneven_light) out.push_back("uneven_light");
  if (doc.grey_paper) out.push_back("grey_paper");
  if (doc.yellow) out.push_back("yellow_paper");
  if (page.dark_border) out.push_back("dark_border");
  if (doc.jpeg_q60) out.push_back("jpeg_q60");
  if (doc.low_dpi) out.push_back("low_dpi");
  if (doc.bilevel) out.push_back("bilevel");
  return out;
}

// Seal ink multiplies the paper and the print under it (the ink is
// translucent): by the seal's red on a colour scan, by its grey otherwise.
VImage stamp(const VImage& image, const VImage& seal, bool colour) {
  static const std::vector<double> kRed = {200.0, 35.0, 45.0};
  VImage a = seal.cast(VIPS_FORMAT_FLOAT) / 255.0;
  if (!colour) {
    double grey = 0.299 * kRed[0] + 0.587 * kRed[1] + 0.114 * kRed[2];
    return (image * (1.0 - a * (1.0 - grey / 255.0))).cast(VIPS_FORMAT_UCHAR);
  }
  VImage rgb = image.bands() == 3 ? image : VImage::bandjoin({image, image, image});
  std::vector<VImage> bands;
  for (int b = 0; b < 3; ++b) bands.push_back(rgb[b] * (1.0 - a * (1.0 - kRed[b] / 255.0)));
  return VImage::bandjoin(bands).cast(VIPS_FORMAT_UCHAR);
}

VImage scan_page(const VImage& clean, const DocumentScan& doc, const PageScan& page, Random& rng,
                 const VImage* seal) {
  VImage image = paper_and_ink(clean, doc.paper);
  image = skew(image, page.skew_deg, doc.paper);
  image = turn(image, page.rotation);
  if (doc.dpi != 300) image = image.resize(doc.dpi / 300.0);
  if (page.uneven_light) image = uneven_light(image, rng);
  if (page.blur_sigma > 0.0) image = image.gaussblur(page.blur_sigma * doc.dpi / 300.0);
  image = image.cast(VIPS_FORMAT_UCHAR);
  if (page.noise_sigma > 0.0 || page.speckles || page.dark_border) {
    Pixels pixels(image);
    if (page.noise_sigma > 0.0) add_noise(pixels, page.noise_sigma, rng);
    if (page.speckles) speckle(pixels, rng);
    if (page.dark_border) dark_border(pixels, rng);
    image = pixels.image();
  }
  if (seal) {
    // Where the seal lies on the scanned sheet: the same turns as the page.
    VImage s = skew(*seal, page.skew_deg, 0);
    s = turn(s, page.rotation);
    if (doc.dpi != 300) s = s.resize(doc.dpi / 300.0);
    if (page.blur_sigma > 0.0) s = s.gaussblur(page.blur_sigma * doc.dpi / 300.0);
    s = s.cast(VIPS_FORMAT_UCHAR).extract_area(0, 0, image.width(), image.height());
    image = stamp(image, s, doc.colour);
  }
  if (doc.yellow) {
    // Yellowish paper: less blue, a little less green; ink stays dark.
    VImage rgb = image.bands() == 3 ? image : VImage::bandjoin({image, image, image});
    image = (rgb * std::vector<double>{1.0, 0.95, 0.80})
                .cast(VIPS_FORMAT_UCHAR)
                .copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  } else if (image.bands() == 3) {
    image = image.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_sRGB));
  } else {
    image = image.copy(VImage::option()->set("interpretation", VIPS_INTERPRETATION_B_W));
  }
  double res = doc.dpi / 25.4;
  return image.copy(VImage::option()->set("xres", res)->set("yres", res)).copy_memory();
}

}  // namespace sohoa::samples
