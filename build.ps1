# SPDX-License-Identifier: MIT
# Publishes libtorrentxt for Windows or macOS with NativeAOT. UNTESTED: this project is built and
# tested on Linux only. Usage: ./build.ps1 [-Rid win-x64|osx-arm64|osx-x64]
param([string]$Rid = $(if ($IsMacOS) { if ([System.Runtime.InteropServices.RuntimeInformation]::OSArchitecture -eq 'Arm64') { 'osx-arm64' } else { 'osx-x64' } } else { 'win-x64' }))
$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot
$publish = "build/publish/$Rid"
$dist = "dist/$Rid"
dotnet publish src/TorrentXT.Native/TorrentXT.Native.csproj -c Release -r $Rid -o $publish
New-Item -ItemType Directory -Force -Path "$dist/include" | Out-Null
$lib = if ($Rid -like 'win-*') { 'libtorrentxt.dll' } elseif ($Rid -like 'osx-*') { 'libtorrentxt.dylib' } else { 'libtorrentxt.so' }
$sodium = if ($Rid -like 'win-*') { 'libsodium.dll' } elseif ($Rid -like 'osx-*') { 'libsodium.dylib' } else { 'libsodium.so' }
Copy-Item "$publish/$lib" $dist
Copy-Item "$publish/$sodium" $dist
Copy-Item include/btx_abi.h, include/btx_record.h "$dist/include"
Write-Host "dist/$Rid ready"
