#!/usr/bin/env bash
# Stands up or updates one environment in Azure (docs/deployment.md, "Quick path"): creates the resource group,
# deploys infra/main.bicep with infra/env/<environment>.bicepparam, builds the package with scripts/package.sh and
# publishes artifacts/functionapp.zip. It never sees a secret: it ends by printing the steps that need the Stripe
# secrets (register the webhook, set the two vault secrets), which the operator runs by hand.
# Usage: scripts/deploy.sh <dev|prod> <resource-group> <location>
set -euo pipefail
cd "$(dirname "$0")/.."

usage="usage: scripts/deploy.sh <dev|prod> <resource-group> <location>"
environment="${1:?$usage}"
resource_group="${2:?$usage}"
location="${3:?$usage}"
case "$environment" in
  dev | prod) ;;
  *) echo "environment must be dev or prod, not '$environment'" >&2; exit 2 ;;
esac

# The parameter files read the API app registration's client id (Auth:Audience, docs/auth.md) from the environment;
# fail here rather than halfway through a deployment.
: "${AUTH_API_CLIENT_ID:?set AUTH_API_CLIENT_ID to the client id of the API app registration (docs/auth.md)}"

# One deployment name per resource group, so that the outputs below are always those of the latest deployment.
deployment_name="service-ledger"
package="artifacts/functionapp.zip"

echo "==> resource group $resource_group in $location"
az group create --name "$resource_group" --location "$location" --output none

echo "==> infrastructure (infra/main.bicep, infra/env/$environment.bicepparam)"
az deployment group create \
  --resource-group "$resource_group" \
  --name "$deployment_name" \
  --template-file infra/main.bicep \
  --parameters "infra/env/$environment.bicepparam" \
  --output none

output() {
  az deployment group show --resource-group "$resource_group" --name "$deployment_name" \
    --query "properties.outputs.$1.value" --output tsv
}
function_app="$(output functionAppName)"
key_vault="$(output keyVaultName)"
health_url="$(output healthUrl)"
webhook_url="$(output stripeWebhookUrl)"

echo "==> package ($package)"
scripts/package.sh

echo "==> publish to $function_app"
# A first publish can fail with 403 from storage while the new role assignments propagate; rerun this script then.
az functionapp deployment source config-zip \
  --resource-group "$resource_group" \
  --name "$function_app" \
  --src "$package"

cat <<NEXT

Deployed $function_app.
  Health:          $health_url
  Stripe webhook:  $webhook_url
  Key Vault:       $key_vault

Still to do by hand (docs/deployment.md, steps 5 and 6): register the webhook URL in Stripe, then put the Stripe
secret key and the webhook signing secret into $key_vault and refresh the app's Key Vault references.
NEXT
