package io.capconduit.system.graphql;

import java.util.ArrayList;
import java.util.List;

import graphql.Scalars;
import graphql.schema.GraphQLArgument;
import graphql.schema.GraphQLFieldDefinition;
import graphql.schema.GraphQLInputObjectField;
import graphql.schema.GraphQLInputObjectType;
import graphql.schema.GraphQLObjectType;
import graphql.schema.GraphQLSchema;
import graphql.schema.GraphQLType;
import graphql.schema.GraphQLTypeUtil;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ArgumentPathsTests {

    private static final GraphQLSchema SCHEMA = MalformedArguments.schema();

    @Test
    void aFieldOfAnInputObjectArgumentIsNamedFromTheArgument() {
        GraphQLFieldDefinition createCampaign = SCHEMA.getMutationType().getFieldDefinition("createCampaign");
        assertThat(ArgumentPaths.qualified("name", createCampaign)).isEqualTo("input.name");
        assertThat(ArgumentPaths.qualified("campaignIds[2]",
                SCHEMA.getMutationType().getFieldDefinition("createAgent"))).isEqualTo("input.campaignIds[2]");
        assertThat(ArgumentPaths.qualified("to", SCHEMA.getQueryType().getFieldDefinition("callLogs")))
                .isEqualTo("filter.to");
    }

    @Test
    void aTopLevelArgumentOrAPathFromOneStaysAsItIs() {
        GraphQLFieldDefinition updateCampaign = SCHEMA.getMutationType().getFieldDefinition("updateCampaign");
        assertThat(ArgumentPaths.qualified("id", updateCampaign)).isEqualTo("id");
        assertThat(ArgumentPaths.qualified("input.name", updateCampaign)).isEqualTo("input.name");
        assertThat(ArgumentPaths.qualified("hours[2].closeTime",
                SCHEMA.getMutationType().getFieldDefinition("setClientSchedule"))).isEqualTo("hours[2].closeTime");
    }

    /** Not a field of any argument: no path to give it, so it is not made to look like one. */
    @Test
    void aNameNoArgumentHoldsIsLeftAsItIs() {
        GraphQLFieldDefinition createCampaign = SCHEMA.getMutationType().getFieldDefinition("createCampaign");
        assertThat(ArgumentPaths.qualified("noSuchField", createCampaign)).isEqualTo("noSuchField");
        assertThat(ArgumentPaths.qualified("first", createCampaign)).isEqualTo("first");
    }

    /** Two input objects with a field of the name: either could be meant, so neither is chosen. */
    @Test
    void aNameTwoInputObjectsHoldIsLeftAsItIs() {
        GraphQLInputObjectType named = GraphQLInputObjectType.newInputObject().name("Named")
                .field(GraphQLInputObjectField.newInputObjectField().name("name").type(Scalars.GraphQLString)).build();
        GraphQLFieldDefinition twice = GraphQLFieldDefinition.newFieldDefinition().name("twice")
                .type(Scalars.GraphQLString)
                .argument(GraphQLArgument.newArgument().name("input").type(named))
                .argument(GraphQLArgument.newArgument().name("filter").type(named)).build();
        assertThat(ArgumentPaths.qualified("name", twice)).isEqualTo("name");
        assertThat(ArgumentPaths.qualified("filter.name", twice)).isEqualTo("filter.name");
    }

    /** The check the schema-driven tests hold every reported field to. */
    @Test
    void aPathFromTheArgumentsIsToldFromABareOrUnknownName() {
        GraphQLFieldDefinition createClient = SCHEMA.getMutationType().getFieldDefinition("createClient");
        GraphQLFieldDefinition setClientSchedule = SCHEMA.getMutationType().getFieldDefinition("setClientSchedule");
        assertThat(MalformedArguments.isArgumentPath("input.name", createClient)).isTrue();
        assertThat(MalformedArguments.isArgumentPath("hours[2].closeTime", setClientSchedule)).isTrue();
        assertThat(MalformedArguments.isArgumentPath("clientId", setClientSchedule)).isTrue();
        assertThat(MalformedArguments.isArgumentPath("name", createClient)).isFalse();
        assertThat(MalformedArguments.isArgumentPath("input.noSuchField", createClient)).isFalse();
        assertThat(MalformedArguments.isArgumentPath("input[0]", createClient)).isFalse();
        assertThat(MalformedArguments.isArgumentPath("hours.closeTime", setClientSchedule)).isFalse();
        assertThat(MalformedArguments.isArgumentPath(".input.name", createClient)).isFalse();
    }

    /**
     * The schema keeps every bare name unambiguous: no operation has an argument named like a field of one of its
     * input-object arguments, nor two input-object arguments sharing a field's name.
     */
    @Test
    void noOperationHasAFieldNameTwoOfItsArgumentsCouldMean() {
        List<String> ambiguous = new ArrayList<>();
        for (GraphQLType type : SCHEMA.getAllTypesAsList()) {
            if (!(type instanceof GraphQLObjectType object) || object.getName().startsWith("__")) {
                continue;
            }
            for (GraphQLFieldDefinition field : object.getFieldDefinitions()) {
                for (GraphQLArgument argument : field.getArguments()) {
                    if (!(GraphQLTypeUtil.unwrapNonNull(argument.getType()) instanceof GraphQLInputObjectType input)) {
                        continue;
                    }
                    for (GraphQLInputObjectField inner : input.getFields()) {
                        if (field.getArgument(inner.getName()) != null
                                || ArgumentPaths.holders(inner.getName(), field).size() > 1) {
                            ambiguous.add(object.getName() + "." + field.getName() + ": " + inner.getName());
                        }
                    }
                }
            }
        }
        assertThat(ambiguous).isEmpty();
    }
}
