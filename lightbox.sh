#!/usr/bin/env bash
# lightbox.sh: build Lightbox on Debian 12 and run it, or run its tests.
#
#   ./lightbox.sh run [FOLDER]   set up, build, open FOLDER (default: your
#                                Pictures folder, else a demo folder)
#   ./lightbox.sh test           set up, build, run the whole test suite
#   ./lightbox.sh fuzz [SECONDS] install clang too, then run every libFuzzer
#                                harness of fuzz/ for SECONDS each (default
#                                60) in build-fuzz/: see fuzz/run-fuzzers
#
# Set-up installs the Debian packages the build, the tests and the validators
# need, with apt-get (as root, else through sudo), only when some are missing,
# then configures build/ with meson. With CI set in the environment, warnings
# are errors.
set -euo pipefail

cd "$(dirname "$(readlink -f "$0")")"

BUILD_DIR=build

# Everything a fresh Debian 12 needs to build Lightbox, run its tests and its
# validators, and make the demo folder.
PACKAGES=(
  gcc libc6-dev meson ninja-build pkg-config
  libglib2.0-dev libglib2.0-bin libgtk-4-dev libadwaita-1-dev libvips-dev libpng-dev zlib1g-dev
  liblcms2-dev
  gettext
  check xvfb xauth libxtst-dev python3 libvips-tools dbus-daemon
  desktop-file-utils appstream libgtk-4-bin
  valgrind
  # What every GNOME desktop has, so that the tests run on a machine like
  # the users': a session bus launcher (dbus-x11), the accessibility bus
  # (at-spi2-core) and GVfs. tests/run-isolated gives each test a bus of
  # its own and stops everything on it.
  dbus-x11 at-spi2-core gvfs-backends
)

# What `./lightbox.sh fuzz` needs besides: clang, and libFuzzer and the
# sanitizers' runtimes (compiler-rt), which clang only recommends. Not for
# CI, which replays the harnesses' seeds with gcc.
FUZZ_PACKAGES=(
  clang libclang-rt-dev
)

# The steps of `./lightbox.sh test`, in order: add a function and name it here.
TEST_STEPS=(
  test_meson
  test_checked_builds
  test_nothing_left
)

die () {
  echo "lightbox.sh: $*" >&2
  exit 1
}

as_root () {
  if [ "$(id -u)" -eq 0 ]; then
    "$@"
  elif command -v sudo >/dev/null; then
    sudo "$@"
  else
    die "run as root or install sudo: '$*' needs root"
  fi
}

# install_packages PACKAGE…: installs those that are missing.
install_packages () {
  local missing=() package

  for package in "$@"; do
    if ! dpkg -s "$package" 2>/dev/null | grep -q '^Status: install ok installed$'; then
      missing+=("$package")
    fi
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return
  fi

  echo "lightbox.sh: installing ${missing[*]}"
  as_root apt-get update
  as_root env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y --no-install-recommends "${missing[@]}"
}

set_up () {
  local options=(-Dwerror=false)

  install_packages "${PACKAGES[@]}"

  if [ -n "${CI:-}" ]; then
    options=(-Dwerror=true)
  fi
  if [ -f "$BUILD_DIR/meson-private/coredata.dat" ]; then
    meson setup --reconfigure "${options[@]}" "$BUILD_DIR"
  else
    meson setup "${options[@]}" "$BUILD_DIR"
  fi
  meson compile -C "$BUILD_DIR"
}

# The plain suite; a skipped test fails it (see tests/check-no-skips).
test_meson () {
  meson test -C "$BUILD_DIR" --print-errorlogs
  tests/check-no-skips "$BUILD_DIR"
}

# The suite again under ASan+UBSan (build-asan/), the engine tests under
# valgrind: see tests/run-checked-builds.
test_checked_builds () {
  BUILD_DIR=$BUILD_DIR tests/run-checked-builds all
}

# After every run of the suite, no process it started is left.
test_nothing_left () {
  tests/check-nothing-left "$PWD"
}

# True when folder $1 has at least one image in it.
has_images () {
  [ -d "$1" ] && find "$1" -maxdepth 1 -type f \
    -iregex '.*\.\(jpe?g\|png\|webp\|gif\|tiff?\|heic\|heif\|avif\|jxl\|jp2\|svg\|pdf\)' \
    -print -quit | grep -q .
}

# Demo images -----------------------------------------------------------------

# Writes an EXIF block with orientation tag $2 into JPEG $1, so that a viewer
# that honours it turns the picture upright.
set_exif_orientation () {
  python3 - "$1" "$2" <<'EOF'
import struct, sys

path, orientation = sys.argv[1], int(sys.argv[2])
with open(path, 'rb') as f:
    jpeg = f.read()
assert jpeg[:2] == b'\xff\xd8', 'not a JPEG'
# A big-endian TIFF header and one IFD with a single SHORT entry: Orientation.
tiff = (b'MM\x00\x2a' + struct.pack('>I', 8) + struct.pack('>H', 1)
        + struct.pack('>HHIHH', 0x0112, 3, 1, orientation, 0) + struct.pack('>I', 0))
app1 = b'Exif\x00\x00' + tiff
with open(path, 'wb') as f:
    f.write(jpeg[:2] + b'\xff\xe1' + struct.pack('>H', len(app1) + 2) + app1 + jpeg[2:])
EOF
}

# demo_label IMAGE TEXT: writes TEXT in white, with a shadow, at the bottom
# left of IMAGE (a 3-band uchar .v file), in place.
demo_label () {
  local image=$1 text=$2 dir width height size
  dir=$(dirname "$image")
  width=$(vipsheader -f width "$image")
  height=$(vipsheader -f height "$image")
  size=$(( (width < height ? width : height) / 12 ))

  vips text "$dir/text.v" "$text" --font "Sans Bold $size" --dpi 72
  vips embed "$dir/text.v" "$dir/shadow.v" $(( size / 2 + 2 )) $(( height - size * 2 + 2 )) \
    "$width" "$height"
  vips embed "$dir/text.v" "$dir/mask.v" $(( size / 2 )) $(( height - size * 2 )) \
    "$width" "$height"
  vips black "$dir/ink.v" "$width" "$height" --bands 3
  vips ifthenelse "$dir/shadow.v" "$dir/ink.v" "$image" "$dir/shaded.v" --blend
  vips linear "$dir/ink.v" "$dir/paper.v" 1 255 --uchar
  vips ifthenelse "$dir/mask.v" "$dir/paper.v" "$dir/shaded.v" "$image" --blend
}

# demo_save IMAGE OUTPUT: saves IMAGE as sRGB in the format OUTPUT's name says
# ("photo.jpg[Q=85]"); falls back to PNG when this libvips cannot write it.
demo_save () {
  local image=$1 output=$2 dir
  dir=$(dirname "$image")
  vips copy "$image" "$dir/srgb.v" --interpretation srgb
  if ! vips copy "$dir/srgb.v" "$output" 2>/dev/null; then
    echo "lightbox.sh: cannot write ${output%%[*}, writing a PNG instead" >&2
    vips copy "$dir/srgb.v" "${output%.*}.png"
  fi
}

# demo_noise perlin|worley WIDTH HEIGHT "R G B" "R G B" OUT: noise coloured
# from the first colour to the second.
demo_noise () {
  local kind=$1 width=$2 height=$3 from=$4 to=$5 out=$6 dir scale
  dir=$(dirname "$out")
  vips "$kind" "$dir/noise.v" "$width" "$height" --cell-size $(( width / 6 ))
  if [ "$kind" = perlin ]; then
    vips linear "$dir/noise.v" "$dir/level.v" 127 128 --uchar
  else
    scale=$(awk -v max="$(vips max "$dir/noise.v")" 'BEGIN { print 255 / max }')
    vips linear "$dir/noise.v" "$dir/level.v" "$scale" 0 --uchar
  fi
  scale=$(awk -v from="$from" -v to="$to" 'BEGIN {
    split(from, f); split(to, t)
    printf "%f %f %f", (t[1] - f[1]) / 255, (t[2] - f[2]) / 255, (t[3] - f[3]) / 255 }')
  vips linear "$dir/level.v" "$out" "$scale" "$from" --uchar
}

# demo_gradient WIDTH HEIGHT BLUE OUT: red grows to the right, green downwards.
demo_gradient () {
  local width=$1 height=$2 blue=$3 out=$4 dir
  dir=$(dirname "$out")
  vips xyz "$dir/xy.v" "$width" "$height"
  vips linear "$dir/xy.v" "$dir/rg.v" \
    "$(awk -v w="$width" -v h="$height" 'BEGIN { print 255 / w, 255 / h }')" "0 0"
  vips bandjoin_const "$dir/rg.v" "$dir/rgb.v" "$blue"
  vips cast "$dir/rgb.v" "$out" uchar
}

# demo_shapes WIDTH HEIGHT OUT: coloured discs and a bar on a dark background.
demo_shapes () {
  local width=$1 height=$2 out=$3 i
  vips black "$out" "$width" "$height" --bands 3
  vips draw_rect "$out" "36 31 49" 0 0 "$width" "$height" --fill
  for i in 0 1 2 3 4; do
    vips draw_circle "$out" "$(( 60 + i * 45 )) $(( 200 - i * 30 )) $(( 120 + i * 25 ))" \
      $(( width * (i + 1) / 6 )) $(( height / 2 )) $(( height / 5 + i * 6 )) --fill
  done
  vips draw_rect "$out" "246 211 45" 0 $(( height * 5 / 6 )) "$width" $(( height / 12 )) --fill
}

# demo_pattern zone|sines|eye WIDTH HEIGHT OUT: a vips test pattern, coloured.
demo_pattern () {
  local kind=$1 width=$2 height=$3 out=$4 dir
  dir=$(dirname "$out")
  vips "$kind" "$dir/pattern.v" "$width" "$height" --uchar
  vips falsecolour "$dir/pattern.v" "$out"
}

# Makes the demo folder $1: 24 images of many sizes and formats, three of them
# JPEGs whose EXIF orientation turns them upright.
make_demo () {
  local demo=$1 work=$1.work n=0
  rm -rf "$work"
  mkdir -p "$work/out"

  # add NAME.EXT[OPTIONS] LABEL: labels $work/img.v and saves it as NAME.EXT.
  add () {
    n=$(( n + 1 ))
    demo_label "$work/img.v" "$(printf '%02d' "$n") $2"
    demo_save "$work/img.v" "$work/out/$(printf '%02d' "$n")-$1"
  }

  demo_noise perlin 1600 1200 "26 95 180" "153 193 241" "$work/img.v";   add "clouds.jpg[Q=85]" "Clouds"
  demo_noise perlin 1200 1600 "38 162 105" "248 228 92" "$work/img.v";   add "meadow.jpg[Q=85]" "Meadow"
  demo_noise perlin 800 600 "97 53 131" "246 97 81" "$work/img.v";       add "dusk.png" "Dusk"
  demo_noise perlin 2400 1000 "28 113 216" "255 255 255" "$work/img.v";  add "sky.webp[Q=80]" "Sky, panorama"
  demo_noise worley 1024 768 "99 69 44" "205 171 143" "$work/img.v";     add "stones.png" "Stones"
  demo_noise worley 640 640 "26 95 180" "143 240 164" "$work/img.v";     add "cells.webp[lossless]" "Cells"
  demo_noise worley 1920 1080 "165 29 45" "255 190 111" "$work/img.v";   add "lava.jpg[Q=90]" "Lava"
  demo_noise worley 900 1200 "36 31 49" "220 138 221" "$work/img.v";     add "tiles.tif[compression=deflate]" "Tiles"
  demo_gradient 1280 720 96 "$work/img.v";                                add "gradient.jpg" "Gradient"
  demo_gradient 720 1280 200 "$work/img.v";                               add "tall.png" "Tall"
  demo_gradient 4000 3000 40 "$work/img.v";                               add "twelve-megapixels.jpg[Q=80]" "12 MP"
  demo_gradient 320 240 160 "$work/img.v";                                add "small.gif" "Small GIF"
  demo_pattern zone 1024 1024 "$work/img.v";                              add "zone.png" "Zone plate"
  demo_pattern sines 1200 800 "$work/img.v";                              add "waves.jpg" "Waves"
  demo_pattern eye 1000 700 "$work/img.v";                                add "eye.tif" "Eye"
  demo_pattern zone 256 256 "$work/img.v";                                add "icon.png" "Icon"
  demo_shapes 1600 900 "$work/img.v";                                     add "discs.png" "Discs"
  demo_shapes 800 800 "$work/img.v";                                      add "square.webp[Q=90]" "Square"
  demo_shapes 1500 1000 "$work/img.v";                                    add "discs.jp2" "JPEG 2000"
  demo_noise perlin 1200 800 "230 97 0" "249 240 107" "$work/img.v";     add "sunset.avif[compression=av1,Q=60]" "AVIF"
  demo_noise worley 1000 1000 "19 75 148" "153 193 241" "$work/img.v";   add "ice.jxl" "JPEG XL"

  # Turned by their EXIF orientation: the pixels are stored turned the other
  # way, so the pictures only look right when the orientation is honoured.
  local orientation angle
  for orientation in 6 3 8; do
    case $orientation in
      6) angle=d270 ;;
      3) angle=d180 ;;
      8) angle=d90 ;;
    esac
    demo_noise perlin 1200 900 "46 194 126" "249 240 107" "$work/upright.v"
    demo_label "$work/upright.v" "$(printf '%02d' $(( n + 1 ))) EXIF orientation $orientation"
    n=$(( n + 1 ))
    vips rot "$work/upright.v" "$work/img.v" "$angle"
    demo_save "$work/img.v" "$work/out/$(printf '%02d' "$n")-orientation-$orientation.jpg[Q=85]"
    set_exif_orientation "$work/out/$(printf '%02d' "$n")-orientation-$orientation.jpg" "$orientation"
  done

  rm -rf "$demo"
  mv "$work/out" "$demo"
  rm -rf "$work"
  echo "lightbox.sh: made $n demo images in $demo"
}

# Commands --------------------------------------------------------------------

cmd_run () {
  local folder=${1:-} pictures demo

  set_up

  if [ -n "$folder" ]; then
    [ -e "$folder" ] || die "$folder does not exist"
  else
    pictures=$(xdg-user-dir PICTURES 2>/dev/null || true)
    # xdg-user-dir answers the home folder itself when Pictures is not set.
    if [ -z "$pictures" ] || [ "$pictures" = "$HOME" ]; then
      pictures=$HOME/Pictures
    fi
    if has_images "$pictures"; then
      folder=$pictures
    else
      demo=${XDG_CACHE_HOME:-$HOME/.cache}/lightbox/demo
      if ! has_images "$demo"; then
        echo "lightbox.sh: no images in $pictures, making a demo folder"
        make_demo "$demo"
      fi
      folder=$demo
    fi
  fi

  # Uninstalled: the schema and the translations as built.
  GSETTINGS_SCHEMA_DIR=$PWD/$BUILD_DIR/data \
  LIGHTBOX_LOCALEDIR=$PWD/$BUILD_DIR/po \
    exec "$BUILD_DIR/src/lightbox" "$folder"
}

cmd_test () {
  local step

  set_up
  for step in "${TEST_STEPS[@]}"; do
    echo "lightbox.sh: $step"
    "$step"
  done
}

cmd_fuzz () {
  local seconds=${1:-60}

  [[ $seconds =~ ^[1-9][0-9]*$ ]] || die "SECONDS must be a whole number of seconds, not '$seconds'"
  install_packages "${PACKAGES[@]}" "${FUZZ_PACKAGES[@]}"
  fuzz/run-fuzzers "$seconds"
}

case ${1:-} in
  run)
    shift
    [ $# -le 1 ] || die "usage: $0 run [FOLDER]"
    cmd_run "$@"
    ;;
  test)
    shift
    [ $# -eq 0 ] || die "usage: $0 test"
    cmd_test
    ;;
  fuzz)
    shift
    [ $# -le 1 ] || die "usage: $0 fuzz [SECONDS]"
    cmd_fuzz "$@"
    ;;
  *)
    echo "usage: $0 run [FOLDER] | $0 test | $0 fuzz [SECONDS]" >&2
    exit 2
    ;;
esac
