# package.cmake - the Debian package (CPack's DEB generator), included by
# CMakeLists.txt when MH_PACKAGE=ON. toolchains/package.sh configures a
# build with it and runs cpack; see that script for the whole recipe.
#
# What the package holds beyond the plain install rules: the configuration as
# the conffile /etc/metahall/metahall.conf, the unit in /lib/systemd/system
# (Debian 12's place for units shipped by packages), the metahall user
# (sysusers.d), the maintainer scripts in this folder, the copyright file and
# changelog under /usr/share/doc/metahall, and lintian's overrides.

if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
  message(FATAL_ERROR "MH_PACKAGE needs CMAKE_INSTALL_PREFIX=/usr (toolchains/package.sh sets it)")
endif()
set(_deb ${CMAKE_SOURCE_DIR}/toolchains/debian)

# the changelog's newest entry names the version being packaged
file(STRINGS ${_deb}/changelog _top LIMIT_COUNT 1)
if(NOT _top MATCHES "^metahall \\(${PROJECT_VERSION}\\) ")
  message(FATAL_ERROR "toolchains/debian/changelog starts with '${_top}', but the project is ${PROJECT_VERSION}: "
                      "add an entry for ${PROJECT_VERSION} at its top")
endif()

# the configuration, as a conffile (dpkg keeps an administrator's edits)
install(FILES platform/service/metahall.conf.example DESTINATION /etc/metahall RENAME metahall.conf)
install(FILES ${_deb}/metahall.sysusers DESTINATION lib/sysusers.d RENAME metahall.conf)
install(FILES ${_deb}/copyright DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${_deb}/lintian-overrides DESTINATION ${CMAKE_INSTALL_DATADIR}/lintian/overrides RENAME metahall)
# the changelog and the manual page, gzip -9n (the same source gives the same bytes)
foreach(_f changelog metahall.1)
  add_custom_command(OUTPUT ${CMAKE_BINARY_DIR}/debian/${_f}.gz
    COMMAND ${CMAKE_COMMAND} -E make_directory ${CMAKE_BINARY_DIR}/debian
    COMMAND gzip -9nc ${_deb}/${_f} > ${CMAKE_BINARY_DIR}/debian/${_f}.gz
    DEPENDS ${_deb}/${_f} VERBATIM)
endforeach()
add_custom_target(mh_deb_gz ALL DEPENDS ${CMAKE_BINARY_DIR}/debian/changelog.gz ${CMAKE_BINARY_DIR}/debian/metahall.1.gz)
install(FILES ${CMAKE_BINARY_DIR}/debian/changelog.gz DESTINATION ${CMAKE_INSTALL_DOCDIR})
install(FILES ${CMAKE_BINARY_DIR}/debian/metahall.1.gz DESTINATION ${CMAKE_INSTALL_MANDIR}/man1)
# stripped as dh_strip does: no symbols, no .comment or .note section
install(CODE "execute_process(COMMAND ${CMAKE_STRIP} --strip-unneeded --remove-section=.comment --remove-section=.note
                              \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/${CMAKE_INSTALL_BINDIR}/metahall\"
                              COMMAND_ERROR_IS_FATAL ANY)")

set(CMAKE_INSTALL_DEFAULT_DIRECTORY_PERMISSIONS
    OWNER_READ OWNER_WRITE OWNER_EXECUTE GROUP_READ GROUP_EXECUTE WORLD_READ WORLD_EXECUTE)

set(MH_PACKAGE_MAINTAINER "metahall maintainers <maintainers@users.noreply.b-seed-9c2483dc.example>"
    CACHE STRING "Maintainer field of the Debian package")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME metahall)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_THREADS 0)
if(MH_DEB_ARCH)
  set(CPACK_DEBIAN_PACKAGE_ARCHITECTURE ${MH_DEB_ARCH})   # a cross build: not the machine's own
endif()
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)              # metahall_<version>_<arch>.deb
set(CPACK_DEBIAN_PACKAGE_MAINTAINER "${MH_PACKAGE_MAINTAINER}")
set(CPACK_DEBIAN_PACKAGE_SECTION misc)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_COMPRESSION_TYPE xz)
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"3D exhibition-hall kiosk for screens and VR headsets
metahall draws a 3D exhibition hall that visitors walk through on a kiosk
screen (X11, Wayland or KMS/DRM without a desktop) or in an OpenXR headset,
with info panels, charts, a guided tour and an attract mode in Chinese and
English. A hall's central control system drives it over TCP, UDP or MQTT.
.
The package installs the kiosk as a systemd service (metahall.service,
enabled), running as the metahall user, configured in
/etc/metahall/metahall.conf, with the default hall in /usr/share/metahall.")
# Depends: the shared libraries' packages with the versions their symbols
# need (dpkg-shlibdeps), plus what the binary opens at run time without
# linking it: Mesa's EGL and GL drivers (GBM for KMS/DRM), the CJK font the
# default hall names, GStreamer's base plugins (playbin, Ogg), and systemd for
# sysusers and the service. The video screens' WebM/VP8 (good plugins) and
# H.264/MP4 (libav, ~100 FFmpeg packages) are Recommends: apt installs them
# by default; without them a screen shows its still placeholder. (As Depends,
# the good plugins pull dconf-service, which debootstrap cannot configure:
# the kiosk image's root failed.)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_DEPENDS
    "libegl-mesa0, libgl1-mesa-dri, libgbm1, fonts-wqy-microhei, gstreamer1.0-plugins-base, systemd, init-system-helpers (>= 1.54~)")
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "gstreamer1.0-plugins-good, gstreamer1.0-libav")
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA ${_deb}/conffiles ${_deb}/postinst ${_deb}/prerm ${_deb}/postrm)
include(CPack)
