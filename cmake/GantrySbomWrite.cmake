# cmake -D TOOL=... -D VERSION=... -D BINARY=... -D COMPONENTS=... -D OUTPUT=... [-D EPOCH=...]
#       [-D COMMIT=...] -P cmake/GantrySbomWrite.cmake
#
# Writes the CycloneDX 1.5 SBOM of one tool (the build step GantrySbom.cmake adds): the components
# GantrySbom.cmake found in the tool's link graph (COMPONENTS, a JSON array sorted by purl), the tool
# itself as metadata.component with the SHA-256 of BINARY. The same inputs give the same bytes: the
# timestamp is EPOCH (seconds, SOURCE_DATE_EPOCH or the commit's date; left out when unknown) and the
# serialNumber is a name-based (SHA-1, RFC 4122 version 5) UUID of the document without it. Written to
# a temporary file and renamed, so a reader never sees half a document.
cmake_minimum_required(VERSION 3.25)
foreach(required TOOL VERSION BINARY COMPONENTS OUTPUT)
  if(NOT DEFINED ${required} OR "${${required}}" STREQUAL "")
    message(FATAL_ERROR "GantrySbomWrite: -D ${required}=... is missing")
  endif()
endforeach()

file(READ "${COMPONENTS}" components)
file(SHA256 "${BINARY}" binary_sha256)

set(tool_purl "pkg:generic/gantry-${TOOL}@${VERSION}")
set(tool "{}")
string(JSON tool SET "${tool}" type "\"application\"")
string(JSON tool SET "${tool}" bom-ref "\"${tool_purl}\"")
string(JSON tool SET "${tool}" name "\"${TOOL}\"")
string(JSON tool SET "${tool}" version "\"${VERSION}\"")
string(JSON tool SET "${tool}" description "\"gantry ${TOOL}, a fully static executable\"")
string(JSON tool SET "${tool}" purl "\"${tool_purl}\"")
string(JSON tool SET "${tool}" hashes "[{\"alg\": \"SHA-256\", \"content\": \"${binary_sha256}\"}]")
if(COMMIT AND NOT COMMIT STREQUAL "unknown")
  string(JSON tool SET "${tool}" properties "[{\"name\": \"gantry:commit\", \"value\": \"${COMMIT}\"}]")
endif()

# Every component is compiled into the tool: one dependency entry, the tool on all of them.
set(depends "[]")
string(JSON count LENGTH "${components}")
if(count GREATER 0)
  math(EXPR last "${count} - 1")
  foreach(index RANGE ${last})
    string(JSON ref GET "${components}" ${index} bom-ref)
    string(JSON depends SET "${depends}" ${index} "\"${ref}\"")
  endforeach()
endif()

set(metadata "{}")
if(NOT "${EPOCH}" STREQUAL "")
  set(saved "$ENV{SOURCE_DATE_EPOCH}")
  set(ENV{SOURCE_DATE_EPOCH} "${EPOCH}")
  string(TIMESTAMP timestamp "%Y-%m-%dT%H:%M:%SZ" UTC)
  set(ENV{SOURCE_DATE_EPOCH} "${saved}")
  string(JSON metadata SET "${metadata}" timestamp "\"${timestamp}\"")
endif()
string(JSON metadata SET "${metadata}" tools "{\"components\": [{\"type\": \"application\", \"name\": \"GantrySbom.cmake\", \"version\": \"${VERSION}\"}]}")
string(JSON metadata SET "${metadata}" component "${tool}")

set(document "{}")
string(JSON document SET "${document}" bomFormat "\"CycloneDX\"")
string(JSON document SET "${document}" specVersion "\"1.5\"")
string(JSON document SET "${document}" version 1)
string(JSON document SET "${document}" metadata "${metadata}")
string(JSON document SET "${document}" components "${components}")
string(JSON document SET "${document}" dependencies "[{\"ref\": \"${tool_purl}\", \"dependsOn\": ${depends}}]")

# The serialNumber names this content: a version-5 UUID of the document as written without it.
string(UUID uuid NAMESPACE 6ba7b811-9dad-11d1-80b4-00c04fd430c8 NAME "${document}" TYPE SHA1)
string(JSON document SET "${document}" serialNumber "\"urn:uuid:${uuid}\"")

file(WRITE "${OUTPUT}.tmp" "${document}\n")
file(RENAME "${OUTPUT}.tmp" "${OUTPUT}")
