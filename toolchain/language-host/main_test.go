package main

import (
	"bufio"
	"context"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	pulumirpc "github.com/pulumi/pulumi/sdk/v3/proto/go"
	"google.golang.org/grpc"
	"google.golang.org/grpc/credentials/insecure"
	"google.golang.org/grpc/health"
	healthpb "google.golang.org/grpc/health/grpc_health_v1"
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

	got := pluginTriples(requiredResourcePlugins(program))
	want := [][3]string{{"acme/widgets", "v1.2.3", "https://example.com"}, {"kubernetes", "v4.25.0", ""}}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("plugins = %v, want %v", got, want)
	}
}

func pluginTriples(plugins []resourcePackage) [][3]string {
	var triples [][3]string
	for _, p := range plugins {
		triples = append(triples, [3]string{p.Pulumi.Name, withV(p.Pulumi.Version), p.Pulumi.Server})
	}
	return triples
}

// Packages are read where Node installs them, nested node_modules included, and never inside a package's own files.
func TestRequiredResourcePluginsReadsPackageRootsOnly(t *testing.T) {
	root := t.TempDir()
	modules := filepath.Join(root, "node_modules")
	writeFile(t, filepath.Join(modules, "@pulumi", "kubernetes", "package.json"),
		`{"name":"@pulumi/kubernetes","version":"4.25.0","pulumi":{"resource":true,"name":"kubernetes"}}`)
	writeFile(t, filepath.Join(modules, "@pulumi", "kubernetes", "tests", "fixture", "package.json"),
		`{"name":"fixture","version":"0.0.1","pulumi":{"resource":true,"name":"not-installed"}}`)
	writeFile(t, filepath.Join(modules, "app", "package.json"), `{"name":"app","version":"1.0.0"}`)
	writeFile(t, filepath.Join(modules, "app", "node_modules", "@pulumi", "random", "package.json"),
		`{"name":"@pulumi/random","version":"4.16.0","pulumi":{"resource":true,"name":"random"}}`)
	writeFile(t, filepath.Join(modules, ".bin", "package.json"),
		`{"name":"bin","version":"0.0.1","pulumi":{"resource":true,"name":"not-a-package"}}`)
	// A package linked back to the folder above it: reading must still end.
	if err := os.Symlink(root, filepath.Join(modules, "app", "node_modules", "loop")); err != nil {
		t.Fatal(err)
	}
	want := [][3]string{{"kubernetes", "v4.25.0", ""}, {"random", "v4.16.0", ""}}
	if got := pluginTriples(requiredResourcePlugins(root)); !reflect.DeepEqual(got, want) {
		t.Fatalf("plugins = %v, want %v", got, want)
	}
}

func TestRequiredResourcePluginsWithoutNodeModules(t *testing.T) {
	if plugins := requiredResourcePlugins(t.TempDir()); len(plugins) != 0 {
		t.Fatalf("plugins = %v; want none", plugins)
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

// TestMain lets a test start this package's main() as a separate process (the host the engine would start).
func TestMain(m *testing.M) {
	if os.Getenv("LANGUAGE_HOST_UNDER_TEST") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// fakeEngine is a gRPC server at the address the host is given as the engine's; it answers health checks.
func fakeEngine(t *testing.T) (address string, stop func()) {
	t.Helper()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	server := grpc.NewServer()
	healthpb.RegisterHealthServer(server, health.NewServer())
	go func() { _ = server.Serve(listener) }()
	return listener.Addr().String(), server.Stop
}

// startHost starts the host as the engine does: the engine's address as its argument, its port on stdout.
func startHost(t *testing.T, engineAddress string) (*exec.Cmd, <-chan error, pulumirpc.LanguageRuntimeClient) {
	t.Helper()
	cmd := exec.Command(os.Args[0], engineAddress)
	cmd.Env = append(os.Environ(), "LANGUAGE_HOST_UNDER_TEST=1")
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	port, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		_ = cmd.Process.Kill()
		t.Fatalf("reading the host's port: %v", err)
	}
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	conn, err := grpc.NewClient("127.0.0.1:"+strings.TrimSpace(port), grpc.WithTransportCredentials(insecure.NewCredentials()))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return cmd, exited, pulumirpc.NewLanguageRuntimeClient(conn)
}

func processExists(pid int) bool {
	return syscall.Kill(pid, 0) == nil
}

func TestHostExitsSoonAfterTheEngineIsGone(t *testing.T) {
	engine, stopEngine := fakeEngine(t)
	_, exited, _ := startHost(t, engine)
	select {
	case err := <-exited:
		t.Fatalf("the host exited while the engine was still there: %v", err)
	case <-time.After(3 * engineCheckInterval):
	}
	stopEngine()
	select {
	case <-exited:
	case <-time.After(5 * engineCheckInterval):
		t.Fatalf("the host still runs %v after its engine went away", 5*engineCheckInterval)
	}
}

func TestTheProgramTheHostRunsEndsWithTheEngine(t *testing.T) {
	// A program that never finishes: the SDK's run entry point records its pid and waits forever.
	dir := t.TempDir()
	pidFile := filepath.Join(dir, "program.pid")
	writeFile(t, filepath.Join(dir, "node_modules", "@pulumi", "pulumi", "cmd", "run", "index.js"),
		`require("fs").writeFileSync(`+strconv.Quote(pidFile)+`, String(process.pid)); setInterval(() => {}, 1000);`)
	engine, stopEngine := fakeEngine(t)
	_, exited, client := startHost(t, engine)
	runDone := make(chan error, 1)
	go func() {
		_, err := client.Run(context.Background(), &pulumirpc.RunRequest{
			Info: &pulumirpc.ProgramInfo{ProgramDirectory: dir, EntryPoint: "."}, Pwd: dir,
		})
		runDone <- err
	}()
	var pid int
	for deadline := time.Now().Add(20 * time.Second); pid == 0; time.Sleep(50 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatal("the program did not start")
		}
		if data, err := os.ReadFile(pidFile); err == nil && len(data) > 0 {
			pid, _ = strconv.Atoi(string(data))
		}
	}
	stopEngine()
	select {
	case <-exited:
	case <-time.After(5*engineCheckInterval + childGrace):
		t.Fatal("the host did not exit after its engine went away")
	}
	if processExists(pid) {
		_ = syscall.Kill(pid, syscall.SIGKILL)
		t.Fatalf("the program (pid %d) outlived the host", pid)
	}
	<-runDone // the connection to the host is gone with it
}
