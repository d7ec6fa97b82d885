#!/usr/bin/env python3
"""Derives the JSON shape of Kubernetes' API types from their Go declarations.

The protobuf descriptors in client-java-proto say which fields exist and their wire numbers, but
not how Go's encoding/json renders them: whether a field is a pointer (a zero value on the wire is
meaningful), whether it carries `omitempty` (a zero value disappears from JSON), or whether an
embedded struct is inlined into its parent's JSON object. ProtobufCodec needs those facts to turn a
protobuf body into the JSON tree kube-apiserver would produce, so this script reads them from the
`types*.go` files of k8s.io/api, k8s.io/apimachinery and k8s.io/apiextensions-apiserver and writes
one line per field:

    <proto message full name> TAB <field number> TAB <json name> TAB <flags>

flags: o = omitempty, p = pointer, i = inlined (embedded struct), s = slice, m = map.
A line with field number 0 and flag K marks a kind: a struct that embeds TypeMeta.

Usage: go_json_fields.py API_DIR APIMACHINERY_DIR APIEXTENSIONS_DIR > go-json-fields.tsv
(each *_DIR is a checkout of the corresponding repository).
"""
import os
import re
import sys

STRUCT_START = re.compile(r'^type (\w+) struct \{\s*$')
FIELD = re.compile(r'^\s*(?:(\w+)\s+)?(\*?[\w.\[\]*]+(?:\[[\w.*]+\][\w.*\[\]]+)?)\s+`([^`]*)`')
TYPE_META = re.compile(r'^\s*(?:metav1\.)?TypeMeta\s+`json:"(?:,inline)?"')
TAG = re.compile(r'(\w+):"([^"]*)"')


def parse_file(path, proto_package, out):
    with open(path, encoding='utf-8') as handle:
        lines = handle.read().split('\n')
    struct = None
    depth = 0
    for line in lines:
        if struct is None:
            match = STRUCT_START.match(line)
            if match:
                struct, depth = match.group(1), 1
            continue
        stripped = line.strip()
        if stripped.startswith('//'):
            continue
        if line.startswith('}'):
            struct = None
            continue
        if TYPE_META.match(line):
            out.append(f'{proto_package}.{struct}\t0\t\tK')
            continue
        match = FIELD.match(line)
        if not match:
            continue
        name, go_type, tag = match.groups()
        tags = dict(TAG.findall(tag))
        if 'protobuf' not in tags:
            continue
        proto = tags['protobuf'].split(',')
        if len(proto) < 2 or not proto[1].isdigit():
            continue
        number = proto[1]
        json_parts = tags.get('json', '').split(',')
        json_name = json_parts[0]
        flags = ''
        if 'omitempty' in json_parts[1:]:
            flags += 'o'
        if go_type.startswith('*'):
            flags += 'p'
        if name is None and json_name == '':
            # an embedded struct without a JSON name: Go promotes its fields into the parent's object
            flags += 'i'
        if go_type.startswith('[]') and go_type != '[]byte':
            flags += 's'
        if go_type.startswith('map['):
            flags += 'm'
        out.append(f'{proto_package}.{struct}\t{number}\t{json_name}\t{flags}')


def walk(root, package_of, out):
    for directory, _, files in os.walk(root):
        package = package_of(os.path.relpath(directory, root))
        if package is None:
            continue
        for file in sorted(files):
            if file.endswith('.go') and not file.endswith('_test.go') and not file.startswith('zz_generated') \
                    and file != 'generated.pb.go':
                parse_file(os.path.join(directory, file), package, out)


def main():
    api, apimachinery, apiextensions = sys.argv[1:4]
    out = []
    version = re.compile(r'^v\d+((alpha|beta)\d+)?$')

    def api_package(rel):
        parts = rel.split(os.sep)
        if len(parts) == 2 and version.match(parts[1]):
            return 'k8s.io.api.' + parts[0] + '.' + parts[1]
        return None

    def apimachinery_package(rel):
        known = {'pkg/apis/meta/v1', 'pkg/api/resource', 'pkg/util/intstr', 'pkg/runtime', 'pkg/runtime/schema'}
        return 'k8s.io.apimachinery.' + rel.replace('/', '.') if rel in known else None

    def apiextensions_package(rel):
        if re.match(r'^pkg/apis/apiextensions/v1(beta1)?$', rel):
            return 'k8s.io.apiextensions_apiserver.' + rel.replace('/', '.')
        return None

    walk(api, api_package, out)
    walk(apimachinery, apimachinery_package, out)
    walk(apiextensions, apiextensions_package, out)
    print('\n'.join(sorted(set(out), key=lambda row: (row.split('\t')[0], int(row.split('\t')[1])))))


if __name__ == '__main__':
    main()
