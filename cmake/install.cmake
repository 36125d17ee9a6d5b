# Rockpool's files. Installed: <prefix>/bin/rockpool finds its data in <prefix>/share/rockpool.
# The build tree gets the same layout as links to the sources, so build/rockpool finds its
# files the way an installed rockpool does and never searches for a source checkout.
set(ROCKPOOL_BUILD_DATA ${PROJECT_BINARY_DIR}/share/rockpool)
file(MAKE_DIRECTORY ${ROCKPOOL_BUILD_DATA}/images)
file(CREATE_LINK ${PROJECT_SOURCE_DIR}/web/dist ${ROCKPOOL_BUILD_DATA}/web SYMBOLIC)
file(CREATE_LINK ${PROJECT_SOURCE_DIR}/images/linux ${ROCKPOOL_BUILD_DATA}/images/linux SYMBOLIC)

# The dashboard is built by npm (web/); an install without it serves the API only.
install(DIRECTORY ${PROJECT_SOURCE_DIR}/web/dist/ DESTINATION share/rockpool/web OPTIONAL)
install(DIRECTORY ${PROJECT_SOURCE_DIR}/images/linux DESTINATION share/rockpool/images
        USE_SOURCE_PERMISSIONS)
install(FILES ${PROJECT_SOURCE_DIR}/README.md DESTINATION share/doc/rockpool)

# The systemd units with this prefix's binary and the default settings; `rockpool up` renders
# its own into /etc/systemd/system, which take precedence.
install(CODE "
  set(ENVIRONMENT \"\")
  set(ROCKPOOL \"\${CMAKE_INSTALL_PREFIX}/bin/rockpool\")
  set(CADDY /usr/bin/caddy)
  set(CADDY_DIR /var/lib/rockpool/caddy)
  set(CADDY_UNIT rockpool-caddy.service)
  foreach(unit rockpool.service rockpool-caddy.service)
    set(target \"\$ENV{DESTDIR}\${CMAKE_INSTALL_PREFIX}/lib/systemd/system/\${unit}\")
    message(STATUS \"Installing: \${target}\")
    configure_file(\"${PROJECT_SOURCE_DIR}/dist/systemd/\${unit}.in\" \"\${target}\" @ONLY)
  endforeach()
")
