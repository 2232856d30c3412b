#!/bin/sh
# Runs on the web server: deploy.yml sends it through ssh (`ssh HOST sh -s -- NEW < this file`).
# Puts the new nginx config (the file NEW, written by `python -m infohub deploy-files`) in
# place of the live one only if nginx accepts it, then reloads nginx; if nginx refuses it,
# the previous config goes back, nginx keeps serving it, and the deploy fails.
# INFOHUB_NGINX_CONF names the live file (a test points it elsewhere).
set -eu
new=$1
live=${INFOHUB_NGINX_CONF:-/etc/nginx/conf.d/infohub.conf}
previous="$live.previous"  # not *.conf: nginx's include of conf.d/*.conf does not read it
if [ -e "$live" ]; then sudo cp -p "$live" "$previous"; else sudo rm -f "$previous"; fi
sudo install -m 644 "$new" "$live"
if sudo nginx -t; then
  sudo rm -f "$previous" "$new"
  sudo systemctl reload nginx
else
  if [ -e "$previous" ]; then sudo mv "$previous" "$live"; else sudo rm -f "$live"; fi
  echo "nginx menolak konfigurasi baru; konfigurasi sebelumnya dipakai lagi." >&2
  echo "nginx refused the new configuration; the previous one is in place again." >&2
  exit 1
fi
