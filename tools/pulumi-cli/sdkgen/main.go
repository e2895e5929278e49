// Command sdkgen validates a Pulumi package schema and generates SDKs from it with Pulumi's own
// code generators (github.com/pulumi/pulumi/pkg/v3/codegen/...), the code that the Python and
// Go language hosts run for `pulumi package gen-sdk`. Those language-host modules are not
// served by the Go module proxy, so `pulumi package gen-sdk` cannot be run here; this calls the
// same generators directly.
//
//	sdkgen -schema sdk/schema.json                        # validate only
//	sdkgen -schema sdk/schema.json -out DIR -lang python,go
//
// It writes DIR/<lang>; for Go it also writes a go.mod in the package folder, like
// `pulumi package add` does for a local SDK.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/blang/semver"
	gogen "github.com/pulumi/pulumi/pkg/v3/codegen/go"
	"github.com/pulumi/pulumi/pkg/v3/codegen/python"
	"github.com/pulumi/pulumi/pkg/v3/codegen/schema"
)

const tool = "sqsd-worker-sdkgen"

func main() {
	schemaPath := flag.String("schema", "", "path of the package schema (JSON)")
	out := flag.String("out", "", "output folder (one sub-folder per language); empty: validate only")
	langs := flag.String("lang", "python,go", "comma-separated languages: python, go")
	flag.Parse()
	if err := run(*schemaPath, *out, *langs); err != nil {
		fmt.Fprintf(os.Stderr, "sdkgen: %v\n", err)
		os.Exit(1)
	}
}

func run(schemaPath, out, langs string) error {
	if schemaPath == "" {
		return fmt.Errorf("-schema is required")
	}
	data, err := os.ReadFile(schemaPath)
	if err != nil {
		return err
	}
	var spec schema.PackageSpec
	if err := json.Unmarshal(data, &spec); err != nil {
		return fmt.Errorf("%s: %w", schemaPath, err)
	}
	// BindSpec checks the spec against Pulumi's metaschema and resolves every type reference.
	pkg, diags, err := schema.BindSpec(spec, noExternalPackages{}, schema.ValidationOptions{})
	if err != nil {
		return fmt.Errorf("bind %s: %w", schemaPath, err)
	}
	for _, d := range diags {
		fmt.Fprintf(os.Stderr, "%s\n", d.Error())
	}
	if diags.HasErrors() {
		return fmt.Errorf("%s is not a valid Pulumi package schema", schemaPath)
	}
	fmt.Printf("schema %s: valid Pulumi package %s %s (%d resources, %d types)\n",
		schemaPath, pkg.Name, pkg.Version, len(pkg.Resources), len(pkg.Types))
	if out == "" {
		return nil
	}
	for _, lang := range strings.Split(langs, ",") {
		var files map[string][]byte
		switch strings.TrimSpace(lang) {
		case "python":
			files, err = python.GeneratePackage(tool, pkg, nil, noExternalPackages{})
		case "go":
			files, err = gogen.GeneratePackage(tool, pkg, nil)
			if err == nil {
				err = addGoMod(files)
			}
		default:
			err = fmt.Errorf("unsupported language %q", lang)
		}
		if err != nil {
			return fmt.Errorf("%s: %w", lang, err)
		}
		dir := filepath.Join(out, strings.TrimSpace(lang))
		if err := writeFiles(dir, files); err != nil {
			return err
		}
		fmt.Printf("%s SDK: %d files in %s\n", lang, len(files), dir)
	}
	return nil
}

// addGoMod writes a go.mod into the Go package folder, for the import path the generator used
// (read back from its import of the package's `internal` folder), so that a program can
// `replace` that module path with the folder, as `pulumi package add` does for a local SDK.
func addGoMod(files map[string][]byte) error {
	for name, content := range files {
		dir, _, found := strings.Cut(name, "/")
		if !found || strings.Contains(name[len(dir)+1:], "/") || !strings.HasSuffix(name, ".go") {
			continue
		}
		m := internalImport.FindSubmatch(content)
		if m == nil {
			continue
		}
		files[dir+"/go.mod"] = []byte("module " + string(m[1]) + "\n\ngo 1.23\n\n" +
			"require github.com/pulumi/pulumi/sdk/v3 v3.276.0\n")
		return nil
	}
	return fmt.Errorf("no generated Go file imports the package's internal folder")
}

var internalImport = regexp.MustCompile(`"([^"]+)/internal"`)

func writeFiles(dir string, files map[string][]byte) error {
	if err := os.RemoveAll(dir); err != nil {
		return err
	}
	for name, content := range files {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return err
		}
		if err := os.WriteFile(p, content, 0o644); err != nil {
			return err
		}
	}
	return nil
}

// noExternalPackages is the schema loader: sqsd-worker's schema refers to no other package, so a
// reference to one is an error (rather than a plugin download).
type noExternalPackages struct{}

func (noExternalPackages) LoadPackage(pkg string, _ *semver.Version) (*schema.Package, error) {
	return nil, fmt.Errorf("schema refers to package %q: not allowed (no external packages)", pkg)
}

func (l noExternalPackages) LoadPackageV2(_ context.Context, d *schema.PackageDescriptor) (*schema.Package, error) {
	return l.LoadPackage(d.Name, nil)
}

func (l noExternalPackages) LoadPackageReference(pkg string, v *semver.Version) (schema.PackageReference, error) {
	_, err := l.LoadPackage(pkg, v)
	return nil, err
}

func (l noExternalPackages) LoadPackageReferenceV2(
	_ context.Context, d *schema.PackageDescriptor,
) (schema.PackageReference, error) {
	return l.LoadPackageReference(d.Name, nil)
}
