#!/usr/bin/env bash
# package_test.sh - the Debian package as an integrator meets it:
#   1. toolchains/package.sh builds metahall_<version>_amd64.deb; its name,
#      control fields and contents are checked, and lintian finds no error or
#      warning (overrides: toolchains/debian/lintian-overrides);
#   2. `apt-get install ./metahall_*.deb` in a bare Debian 12 root (minbase,
#      made by debootstrap, cached in build/deploy/bookworm-amd64) pulls the
#      dependencies and leaves: the files, the metahall user in video, render
#      and input, the conffile readable by root:metahall only, the service
#      enabled; `metahall --version`, `metahall validate` on the installed hall
#      and a headless render run inside the root; systemd-analyze verify
#      accepts the unit;
#   3. an upgrade keeps an edited configuration and the enablement, a
#      disabled service stays disabled over a reinstall;
#   4. remove keeps the configuration; purge removes everything it made (no
#      file, user, group, link or statoverride named metahall remains).
# Needs root (chroot, mounts), debootstrap, lintian and the network to
# Debian's mirror (the root and the dependencies; cached for later runs).
source "$(dirname "$0")/../lib.sh"
HERE=$(cd "$(dirname "$0")" && pwd)
source "$MH_SRC/toolchains/debian/rootfs.sh"

[ "$(id -u)" = 0 ] || skip "the package test needs root (debootstrap, chroot, mounts)"
for tool in debootstrap lintian dpkg-deb dpkg-shlibdeps cpack python3; do
    command -v "$tool" >/dev/null || skip "$tool is not installed (toolchains/setup.sh --test)"
done
[ "$(dpkg --print-architecture)" = amd64 ] || skip "the bare-root test installs the amd64 package"

start=$(date +%s)
DEPLOY_DIR=$(realpath -m "${MH_DEPLOY_DIR:-$MH_SRC/build/deploy}")
BASE=$DEPLOY_DIR/bookworm-amd64
ROOT=$DEPLOY_DIR/pkgtest-root
APT_CACHE=$DEPLOY_DIR/apt-archives-amd64
OUT=$MH_OUT/deploy
rm -rf "$OUT" && mkdir -p "$OUT" "$APT_CACHE"

cleanup() {
    deploy_unmount "$ROOT" || echo "package_test: something under $ROOT is still mounted" >&2
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# in_root CMD...: runs CMD in the root with a clean environment
in_root() {
    chroot "$ROOT" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
        DEBIAN_FRONTEND=noninteractive "$@"
}
# expect_file PATH / expect_no PATH: inside the root
expect_file() { [ -e "$ROOT$1" ] || fail "$1 is missing after install"; }

# ---- 1. the package ---------------------------------------------------------------
t=$(date +%s)
"$MH_SRC/toolchains/package.sh" --arch amd64 >"$OUT/package.log" 2>&1 ||
    { tail -n 40 "$OUT/package.log"; fail "toolchains/package.sh --arch amd64 failed (log: $OUT/package.log)"; }
package_s=$(( $(date +%s) - t ))
version=$(sed -n 's/^project(metahall VERSION \([0-9.]*\).*/\1/p' "$MH_SRC/CMakeLists.txt")
deb=$MH_SRC/build/package/metahall_${version}_amd64.deb
[ -f "$deb" ] || fail "package.sh did not write $deb: $(ls "$MH_SRC/build/package")"
deb_bytes=$(stat -c %s "$deb")
echo "package: $(basename "$deb"), $deb_bytes bytes, built in $package_s s"
[ "$(dpkg-deb -f "$deb" Package)" = metahall ] || fail "Package is not metahall"
[ "$(dpkg-deb -f "$deb" Version)" = "$version" ] || fail "Version is $(dpkg-deb -f "$deb" Version), not $version"
[ "$(dpkg-deb -f "$deb" Architecture)" = amd64 ] || fail "Architecture is not amd64"
depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
# versions from the libraries' symbols files (dpkg-shlibdeps), not typed by hand
for want in 'libc6 (>= 2.' 'libsdl2-2.0-0 (>= 2.' 'libpng16-16 (>= ' 'libcjson1 (>= ' 'libmosquitto1 (>= ' \
            libegl1 libgles2 libsystemd0 libegl-mesa0 libgl1-mesa-dri fonts-wqy-microhei systemd; do
    case ", $depends," in *", $want"*) ;; *) fail "Depends lacks '$want': $depends" ;; esac
done
dpkg-deb -c "$deb" >"$OUT/contents.txt"
for f in ./usr/bin/metahall ./usr/share/metahall/halls/default/hall.json ./usr/share/metahall/exhibits/ \
         ./lib/systemd/system/metahall.service ./etc/metahall/metahall.conf ./usr/lib/sysusers.d/metahall.conf \
         ./usr/share/doc/metahall/copyright ./usr/share/doc/metahall/changelog.gz ./usr/share/man/man1/metahall.1.gz; do
    grep -q " $f\$" "$OUT/contents.txt" || fail "the package lacks $f"
done
dpkg-deb --ctrl-tarfile "$deb" | tar -xO ./conffiles | grep -qx /etc/metahall/metahall.conf ||
    fail "/etc/metahall/metahall.conf is not a conffile"
rc=0
lintian --fail-on error,warning --display-info --pedantic "$deb" >"$OUT/lintian.txt" 2>&1 || rc=$?
grep -v '^running with root' "$OUT/lintian.txt" || true
[ "$rc" = 0 ] || fail "lintian reports errors or warnings (above)"
echo "lintian: no error, warning, info or pedantic tag beyond the overrides' ($(grep -c '^[EWIP]:' "$OUT/lintian.txt") tags)"

# ---- 2. a bare Debian 12 root, apt install ./metahall_*.deb ---------------------------
deploy_root_ensure "$BASE" amd64 || fail "could not make the Debian 12 root in $BASE"
root_note=${DEPLOY_ROOT_BUILT_S:+made in $DEPLOY_ROOT_BUILT_S s}
root_note=${root_note:-reused}
deploy_unmount "$ROOT" && deploy_remove_root "$ROOT" || fail "cannot clear $ROOT"
cp -a "$BASE" "$ROOT"
rm "$ROOT/.metahall-deploy-stamp"
cp /etc/resolv.conf "$ROOT/etc/resolv.conf"
deploy_mount "$ROOT"
mount --bind "$APT_CACHE" "$ROOT/var/cache/apt/archives"
cp "$deb" "$ROOT/tmp/"
in_root dpkg-query -W -f='${Package}\n' | sort >"$OUT/before.txt"

t=$(date +%s)
in_root apt-get update -qq >"$OUT/apt.log" 2>&1 || { cat "$OUT/apt.log"; fail "apt-get update failed in the root"; }
in_root apt-get install -y -q --no-install-recommends "/tmp/$(basename "$deb")" >>"$OUT/apt.log" 2>&1 ||
    { tail -n 40 "$OUT/apt.log"; fail "apt-get install ./$(basename "$deb") failed in a bare root (log: $OUT/apt.log)"; }
install_s=$(( $(date +%s) - t ))
pulled=$(( $(in_root dpkg-query -W -f='${Package}\n' | wc -l) - $(wc -l <"$OUT/before.txt") ))
echo "apt-get install: $pulled packages (metahall and its dependencies) in $install_s s"
grep -iE '^(W|E):|warning' "$OUT/apt.log" | grep -v 'apt does not have a stable CLI' || true

[ "$(in_root dpkg-query -W -f='${Status}' metahall)" = "install ok installed" ] || fail "metahall is not installed"
for f in /usr/bin/metahall /usr/share/metahall/halls/default/hall.json /lib/systemd/system/metahall.service \
         /etc/metahall/metahall.conf /usr/lib/sysusers.d/metahall.conf; do
    expect_file "$f"
done
grep -qx 'ExecStart=/usr/bin/metahall --config /etc/metahall/metahall.conf' "$ROOT/lib/systemd/system/metahall.service" ||
    fail "the unit does not start /usr/bin/metahall: $(grep ExecStart "$ROOT/lib/systemd/system/metahall.service")"
in_root dpkg-query -W -f='${Conffiles}\n' metahall | grep -q '^ /etc/metahall/metahall.conf ' ||
    fail "dpkg does not list /etc/metahall/metahall.conf as a conffile"
# the user: a system user, no login, home = the service's state folder
IFS=: read -r _ _ uid gid _ home shell < <(in_root getent passwd metahall) || fail "no metahall user"
[ "$uid" -lt 1000 ] || fail "metahall is not a system user (uid $uid)"
[ "$home" = /var/lib/metahall ] || fail "metahall's home is $home, not /var/lib/metahall"
case "$shell" in */nologin|/bin/false) ;; *) fail "metahall has a login shell: $shell" ;; esac
groups=$(in_root id -nG metahall)
for g in metahall video render input; do
    case " $groups " in *" $g "*) ;; *) fail "metahall is not in group $g (groups: $groups)" ;; esac
done
conf_mode() { in_root stat -c '%U:%G %a' /etc/metahall/metahall.conf; }
[ "$(conf_mode)" = "root:metahall 640" ] || fail "metahall.conf is $(conf_mode), not root:metahall 640"
enabled=$(in_root systemctl is-enabled metahall.service 2>&1 || true)
[ "$enabled" = enabled ] || fail "metahall.service is '$enabled' after install, not enabled"
link=$(readlink "$ROOT/etc/systemd/system/graphical.target.wants/metahall.service") ||
    fail "no graphical.target.wants link for metahall.service"
in_root systemd-analyze verify --man=no /lib/systemd/system/metahall.service >"$OUT/verify.txt" 2>&1 ||
    { cat "$OUT/verify.txt"; fail "systemd-analyze verify rejects the unit"; }
grep -i metahall "$OUT/verify.txt" && fail "systemd-analyze verify complains about the unit (above)"

# the program runs from its installed place, finds its hall, and draws it
got=$(in_root metahall --version) || fail "metahall --version failed in the root"
[ "$got" = "metahall $version" ] || fail "metahall --version says '$got', the package is $version"
in_root metahall validate /usr/share/metahall/halls/default >"$OUT/validate.txt" 2>&1 ||
    { cat "$OUT/validate.txt"; fail "metahall validate rejects the installed hall"; }
tail -n 1 "$OUT/validate.txt"
in_root metahall render --size 320x180 --out /tmp/entrance.png >"$OUT/render.txt" 2>&1 ||
    { cat "$OUT/render.txt"; fail "metahall render fails in the root (a missing runtime dependency?)"; }
python3 "$HERE/frame_check.py" "$ROOT/tmp/entrance.png" || fail "the render in the root does not show the hall"

# ---- 3. upgrade: the administrator's configuration stays ---------------------------------
# the next version: the same files under a higher version number
next="$version+deploytest1"
rm -rf "$OUT/next" && mkdir -p "$OUT/next"
dpkg-deb -R "$deb" "$OUT/next/pkg"
sed -i "s/^Version: .*/Version: $next/" "$OUT/next/pkg/DEBIAN/control"
dpkg-deb --root-owner-group -Zxz -b "$OUT/next/pkg" "$ROOT/tmp/metahall_next.deb" >/dev/null
printf '\n# edited on site\nlang = en\nidle-timeout = 45\n' >>"$ROOT/etc/metahall/metahall.conf"
sum=$(md5sum <"$ROOT/etc/metahall/metahall.conf")
in_root apt-get install -y -q /tmp/metahall_next.deb >>"$OUT/apt.log" 2>&1 ||
    { tail -n 30 "$OUT/apt.log"; fail "the upgrade to $next failed"; }
[ "$(in_root dpkg-query -W -f='${Version}' metahall)" = "$next" ] || fail "the upgrade did not happen"
[ "$(md5sum <"$ROOT/etc/metahall/metahall.conf")" = "$sum" ] || fail "the upgrade changed the edited metahall.conf"
grep -qx 'lang = en' "$ROOT/etc/metahall/metahall.conf" || fail "the edit is gone after the upgrade"
ls "$ROOT/etc/metahall/"*.dpkg-* 2>/dev/null && fail "the upgrade left .dpkg-* files beside the configuration"
[ "$(conf_mode)" = "root:metahall 640" ] || fail "the upgrade changed metahall.conf's owner or mode: $(conf_mode)"
[ "$(in_root systemctl is-enabled metahall.service 2>&1)" = enabled ] || fail "the upgrade disabled the service"
[ "$(in_root id -u metahall)" = "$uid" ] || fail "the upgrade changed metahall's uid"
# the administrator's "disabled" survives a reinstall of the same version
in_root systemctl disable metahall.service >/dev/null 2>&1
in_root dpkg -i /tmp/metahall_next.deb >>"$OUT/apt.log" 2>&1 || fail "reinstalling $next failed"
[ "$(in_root systemctl is-enabled metahall.service 2>&1 || true)" = disabled ] ||
    fail "a reinstall enabled the service the administrator had disabled"
in_root systemctl enable metahall.service >/dev/null 2>&1
echo "upgrade to $next: configuration kept, still enabled; a disabled service stays disabled"

# ---- 4. remove keeps the configuration, purge removes what the package made ----------------
mkdir -p "$ROOT/var/lib/metahall/.local/state/metahall/screenshots"
echo png >"$ROOT/var/lib/metahall/.local/state/metahall/screenshots/shot.png"
in_root chown -R metahall:metahall /var/lib/metahall
in_root apt-get remove -y -q metahall >>"$OUT/apt.log" 2>&1 || fail "apt-get remove metahall failed"
[ ! -e "$ROOT/usr/bin/metahall" ] || fail "remove left /usr/bin/metahall"
grep -qx 'lang = en' "$ROOT/etc/metahall/metahall.conf" || fail "remove (not purge) deleted the configuration"
in_root apt-get purge -y -q metahall >>"$OUT/apt.log" 2>&1 || fail "apt-get purge metahall failed"
left=$(cd "$ROOT" && find . -xdev \( -path ./proc -o -path ./sys -o -path ./dev -o -path ./tmp \
        -o -path ./var/cache/apt -o -path ./var/log \) -prune -o -name '*metahall*' -print)
[ -z "$left" ] || fail "purge left files behind: $left"
grep -l metahall "$ROOT"/etc/passwd "$ROOT"/etc/group "$ROOT"/etc/shadow "$ROOT"/etc/gshadow &&
    fail "purge left the metahall user or group (files above)"
in_root dpkg-statoverride --list | grep -q metahall && fail "purge left a dpkg-statoverride"
[ -z "$(in_root dpkg-query -W -f='${Status}' metahall 2>/dev/null)" ] ||
    fail "dpkg still knows metahall after purge: $(in_root dpkg-query -W -f='${Status}' metahall)"
echo "remove kept the configuration; purge left no file, user, group, link or override named metahall"

echo "package_test: ok: .deb $deb_bytes bytes (package.sh $package_s s), root $root_note," \
     "install with $pulled packages $install_s s, $(( $(date +%s) - start )) s in all"
