# `make install` (cmake --install): PREFIX defaults to /usr/local, DESTDIR is
# honoured. The binaries install themselves: portal-syncd from
# daemon/CMakeLists.txt (sbin), portal-syncctl from ctl/CMakeLists.txt (bin).
#
#   PREFIX/sbin/portal-syncd, PREFIX/bin/portal-syncctl (once it exists)
#   PREFIX/lib/systemd/system/portal-syncd.service, portal-syncd@.service
#   PREFIX/lib/sysusers.d/portal-syncd.conf
#   PREFIX/share/doc/portal-syncd/README.md and examples/ (configs, alert rules)
#   PREFIX/share/bash-completion/completions/portal-syncd, portal-syncctl
#   /etc/portal-syncd/portal-syncd.toml, only when there is none yet
set(PSD_UNIT_DIR "lib/systemd/system" CACHE STRING "Where systemd units go, under the prefix")
set(PSD_SYSUSERS_DIR "lib/sysusers.d" CACHE STRING "Where sysusers.d entries go, under the prefix")
set(psd_doc share/doc/portal-syncd)

install(FILES ${CMAKE_BINARY_DIR}/systemd/portal-syncd.service
              ${CMAKE_BINARY_DIR}/systemd/portal-syncd@.service
        DESTINATION ${PSD_UNIT_DIR})
install(FILES ${CMAKE_SOURCE_DIR}/systemd/portal-syncd.sysusers
        DESTINATION ${PSD_SYSUSERS_DIR} RENAME portal-syncd.conf)
install(FILES ${CMAKE_SOURCE_DIR}/README.md DESTINATION ${psd_doc})
# config/CMakeLists.txt installs the annotated portal-syncd.toml there too.
install(FILES ${CMAKE_SOURCE_DIR}/systemd/H43.toml
              ${CMAKE_SOURCE_DIR}/monitoring/portal-syncd.rules.yml
        DESTINATION ${psd_doc}/examples)
# The annotated example as the default config, never over an existing one.
install(CODE "
  set(psd_config \"\$ENV{DESTDIR}/etc/portal-syncd/portal-syncd.toml\")
  if(EXISTS \"\${psd_config}\")
    message(STATUS \"Kept: \${psd_config}\")
  else()
    file(INSTALL \"${CMAKE_SOURCE_DIR}/config/portal-syncd.toml\"
         DESTINATION /etc/portal-syncd)  # file(INSTALL) adds DESTDIR itself
  endif()
")
# Bash completion for both programs, where bash-completion looks for them
# (PREFIX/share/bash-completion/completions; /usr/share/... for the package).
install(FILES ${CMAKE_SOURCE_DIR}/completion/portal-syncd ${CMAKE_SOURCE_DIR}/completion/portal-syncctl
        DESTINATION share/bash-completion/completions)
