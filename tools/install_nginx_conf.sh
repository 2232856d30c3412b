#!/usr/bin/env bash
# Runs ON the web server: the deploy job sends it over ssh (`ssh HOST bash -s < tools/install_nginx_conf.sh`)
# after copying the new config to conf.d/infohub.conf.staged (not *.conf: nginx never loads it there).
#
# The new config replaces the live one only after nginx accepted it twice: alone (inside a minimal
# `http {}`), then as part of the server's whole configuration, with the other sites beside it. If
# either test fails, the live config stays as it was (put back after the second), nginx is not
# reloaded, and this exits 1 with nginx's own message: the sites keep being served as before.
#
# The deploy user needs, beside write access to conf.d, exactly these sudo rights (handbook, operator
# section): `nginx -t -q -c /etc/nginx/conf.d/infohub.check`, `nginx -t -q`, `systemctl reload nginx`.
set -euo pipefail

dir=${INFOHUB_NGINX_DIR:-/etc/nginx}  # another folder only for the tests
staged=$dir/conf.d/infohub.conf.staged
live=$dir/conf.d/infohub.conf
check=$dir/conf.d/infohub.check  # the wrapper: a fixed path, so sudo can allow exactly this test

refuse() {
  echo "::error title=nginx::$1"
  exit 1
}

[ -f "$staged" ] || refuse "$staged tidak ada: tidak ada yang dipasang. · $staged is missing: nothing to install."
printf 'events {}\nhttp {\n    include %s/mime.types;\n    include %s;\n}\n' "$dir" "$staged" > "$check"
if ! sudo nginx -t -q -c "$check"; then
  refuse "nginx menolak konfigurasi baru ($staged, lihat di atas); konfigurasi yang berjalan tidak berubah. · nginx refused the new configuration ($staged, above); the live one is unchanged."
fi

[ -f "$live" ] && cp -p "$live" "$live.previous"
mv "$staged" "$live"
if ! sudo nginx -t -q; then
  if [ -f "$live.previous" ]; then mv "$live.previous" "$live"; else rm -f "$live"; fi
  refuse "nginx menolak konfigurasi baru bersama konfigurasi lain di server (lihat di atas); konfigurasi sebelumnya dipasang kembali. · nginx refused the new configuration beside the server's other ones (above); the previous one is back."
fi
sudo systemctl reload nginx
echo "nginx: konfigurasi baru sudah berlaku. · nginx: the new configuration is live."
