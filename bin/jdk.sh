# Sourced by Glint's scripts: sets JAVA_HOME to a JDK 21 or newer, or explains what to install.
glint_java_major() {
  "$1/bin/java" -XshowSettings:properties -version 2>&1 \
    | sed -n 's/^ *java.specification.version = //p' | cut -d. -f1
}

glint_find_jdk() {
  local candidates=()
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v javac >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")")
  fi
  for d in /usr/lib/jvm/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$d" ] && candidates+=("$d")
  done
  local best="" best_major=0 c major
  for c in "${candidates[@]}"; do
    [ -x "$c/bin/javac" ] || continue
    major=$(glint_java_major "$c")
    [ -n "$major" ] || continue
    if [ "$major" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
      best="$c" best_major="$major"
    fi
  done
  if [ -z "$best" ]; then
    echo "Glint needs a JDK 21 or newer and found none (looked at \$JAVA_HOME, javac on PATH, /usr/lib/jvm)." >&2
    echo "Install one, e.g.: apt-get install openjdk-21-jdk-headless (or temurin-21-jdk), then retry." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
}
