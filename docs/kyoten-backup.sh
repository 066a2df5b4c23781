#!/bin/sh
# One backup of the hub's database into KYOTEN_BACKUP_DIR, named by the UTC time, then backups
# older than KYOTEN_BACKUP_DAYS removed (the newest KYOTEN_BACKUP_DAYS dumps are kept whatever their
# age). Over DATABASE_URL it runs while the hub serves (pg_dump is a consistent snapshot); the
# embedded store must be stopped (the command refuses otherwise).
# Copy the files off this machine afterwards: a backup on the same disk is not a backup.
set -eu
dir="${KYOTEN_BACKUP_DIR:-/var/backups/kyoten-navi}"
days="${KYOTEN_BACKUP_DAYS:-35}"
app="${KYOTEN_APP_DIR:-/opt/kyoten-navi}"
if ! mkdir -p "$dir" || [ ! -w "$dir" ]; then
  echo "kyoten-backup: cannot write backups into $dir. Create it for the user the job runs as (as root: install -d -o kyoten -g kyoten -m 0700 $dir; kyoten-navi-backup.service does this itself), or set KYOTEN_BACKUP_DIR." >&2
  exit 1
fi
file="$dir/kyoten-$(date -u +%Y%m%dT%H%M%SZ).dump"
cd "$app"
node node_modules/tsx/dist/cli.mjs src/server/admin.ts backup --file "$file"
# Dumps older than $days days go, but never the newest $days of them: an age is only what the
# clock says, and a clock jumped forward would make every dump but tonight's look old. The names
# hold the UTC time, so the shell's sorted list (pathname expansion) goes from oldest to newest.
count=0
for f in "$dir"/kyoten-*.dump; do
  if [ -e "$f" ]; then count=$((count + 1)); fi
done
beyond=$((count - days))
for f in "$dir"/kyoten-*.dump; do
  if [ "$beyond" -le 0 ]; then break; fi
  beyond=$((beyond - 1))
  # -prune: an embedded store's backup is a folder, judged by its own age, not its files'.
  if [ -e "$f" ] && [ -n "$(find "$f" -prune -mtime +"$days")" ]; then rm -rf "$f"; fi
done
echo "backup written: $file"
