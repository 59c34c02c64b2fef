package main

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"google.golang.org/protobuf/types/known/structpb"
)

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestRequiredResourcePluginsReadsNodeModulesFromAParentFolder(t *testing.T) {
	root := t.TempDir()
	modules := filepath.Join(root, "node_modules")
	writeFile(t, filepath.Join(modules, "@pulumi", "kubernetes", "package.json"),
		`{"name":"@pulumi/kubernetes","version":"4.25.0","pulumi":{"resource":true,"name":"kubernetes"}}`)
	writeFile(t, filepath.Join(modules, "@acme", "widgets", "package.json"),
		`{"name":"@acme/widgets","version":"1.2.3","pulumi":{"resource":true,"server":"https://example.com"}}`)
	writeFile(t, filepath.Join(modules, "zod", "package.json"), `{"name":"zod","version":"4.0.0"}`)
	writeFile(t, filepath.Join(modules, "broken", "package.json"), `{not json`)
	program := filepath.Join(root, "stacks", "program")
	if err := os.MkdirAll(program, 0o755); err != nil {
		t.Fatal(err)
	}

	plugins, err := requiredResourcePlugins(program)
	if err != nil {
		t.Fatal(err)
	}
	var got [][3]string
	for _, p := range plugins {
		got = append(got, [3]string{p.Pulumi.Name, withV(p.Pulumi.Version), p.Pulumi.Server})
	}
	want := [][3]string{{"acme/widgets", "v1.2.3", "https://example.com"}, {"kubernetes", "v4.25.0", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plugins = %v, want %v", got, want)
	}
}

func TestRequiredResourcePluginsWithoutNodeModules(t *testing.T) {
	plugins, err := requiredResourcePlugins(t.TempDir())
	if err != nil || len(plugins) != 0 {
		t.Fatalf("plugins = %v, err = %v; want none", plugins, err)
	}
}

func TestSdkEntryPointNamesTheFixWhenTheSdkIsMissing(t *testing.T) {
	dir := t.TempDir()
	if _, err := sdkEntryPoint(dir, "run"); err == nil || !strings.Contains(err.Error(), "run `npm ci` there") {
		t.Fatalf("err = %v, want one that says to run npm ci", err)
	}
	writeFile(t, filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js"), "")
	got, err := sdkEntryPoint(filepath.Join(dir, "sub"), "run")
	if err != nil || got != filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run") {
		t.Fatalf("entry = %q, err = %v", got, err)
	}
}

func TestRuntimeEnvFollowsTheProjectsRuntimeOptions(t *testing.T) {
	env, nodeArgs := runtimeEnv(nil)
	if !reflect.DeepEqual(env, []string{"PULUMI_NODEJS_TYPESCRIPT=true"}) || nodeArgs != nil {
		t.Fatalf("defaults: env %v, node args %v", env, nodeArgs)
	}
	options, err := structpb.NewStruct(map[string]interface{}{
		"typescript": false, "tsconfig": "tsconfig.pulumi.json", "nodeargs": "--max-old-space-size=4096 --trace-warnings",
	})
	if err != nil {
		t.Fatal(err)
	}
	env, nodeArgs = runtimeEnv(options)
	wantEnv := []string{"PULUMI_NODEJS_TYPESCRIPT=false", "PULUMI_NODEJS_TSCONFIG_PATH=tsconfig.pulumi.json"}
	if !reflect.DeepEqual(env, wantEnv) || !reflect.DeepEqual(nodeArgs, []string{"--max-old-space-size=4096", "--trace-warnings"}) {
		t.Fatalf("env %v, node args %v", env, nodeArgs)
	}
}
