# Sourced by scripts/start.sh and scripts/bench.sh: a .NET project built only when it is out of date.

# Builds PROJECT in Release unless OUTPUT exists and no file or folder under the SOURCES given (their
# bin and obj folders left out) is newer than it: an up-to-date build still costs MSBuild several
# seconds of both cores. A deleted source counts too (its folder's time changes). After a build OUTPUT
# is touched: MSBuild leaves an output it did not need to write as it was, which would otherwise look
# out of date on every run. One build at a time, under one lock: two runs started together (the test
# suite starts several) wait for each other, and the second finds the build up to date. Prints which.
# usage: build_if_changed WHAT PROJECT OUTPUT SOURCE...
build_if_changed() {
  local what=$1 project=$2 output=$3
  shift 3
  mkdir -p src/Registry.Api/obj
  (
    flock 9
    if [ -f "$output" ] && [ -z "$(find "$@" \( -name bin -o -name obj \) -prune -o -newer "$output" -print -quit)" ]; then
      echo "The $what's build is up to date"
    else
      echo "Building the $what"
      dotnet build "$project" -c Release -nologo -v quiet -clp:ErrorsOnly
      touch "$output"
    fi
  ) 9> src/Registry.Api/obj/start-build.lock
}

# What the registry's API is built from, for build_if_changed (the solution's build counts, as the test run's does).
registry_sources=(src/Registry.Api src/Registry.Core src/Registry.Chain src/Registry.Verification.Rpc
  contexts schemas Directory.Build.props Directory.Packages.props)
